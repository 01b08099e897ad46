/**
 * A registry of object types by name, so that JSON input can be matched to its type.
 *
 * @module
 */

import { InviteType, type ObjectType, ShareType } from "./object_type.ts";

/**
 * Object types by their dotted names. The share and invite types are registered from the start.
 *
 * @example Register a type and look it up
 * ```ts
 * import { attribute, defineDesktopObjectType, TypeRegistry } from "@hea/server/objects";
 * import assert from "node:assert/strict";
 *
 * const registry = new TypeRegistry();
 * const Note = defineDesktopObjectType({
 *   name: "example.Note",
 *   displayName: "Note",
 *   attributes: { text: attribute.string() },
 * });
 * registry.register(Note);
 * assert.equal(registry.get("example.Note"), Note);
 * assert.equal(registry.get("example.Missing"), undefined);
 * ```
 */
export class TypeRegistry {
  readonly #types: Map<string, ObjectType> = new Map();

  /** Creates a registry holding the share and invite types and any `types` given. */
  constructor(types: Iterable<ObjectType> = []) {
    this.register(ShareType);
    this.register(InviteType);
    for (const type of types) {
      this.register(type);
    }
  }

  /**
   * Adds a type. Registering the same definition twice is harmless.
   *
   * @throws {TypeError} when another definition already has the name.
   */
  register(type: ObjectType): this {
    const existing = this.#types.get(type.name);
    if (existing && existing !== type) {
      throw new TypeError(`Type "${type.name}" is already registered with another definition`);
    }
    this.#types.set(type.name, type);

    return this;
  }

  /** Returns the type with a name, or `undefined`. */
  get(name: string): ObjectType | undefined {
    return this.#types.get(name);
  }

  /** Returns whether type `name` is `ancestor` or one of its subtypes. */
  isSubtype(name: string, ancestor: string): boolean {
    let current: string | undefined = name;
    const seen = new Set<string>();
    while (current !== undefined && !seen.has(current)) {
      if (current === ancestor) {
        return true;
      }
      seen.add(current);
      current = this.#types.get(current)?.supertype;
    }

    return false;
  }

  /** Returns the names of `name` and of every registered subtype of it. */
  subtypeNames(name: string): string[] {
    return [...this.#types.keys()].filter((candidate) => this.isSubtype(candidate, name));
  }

  /** Returns every registered type. */
  types(): ObjectType[] {
    return [...this.#types.values()];
  }
}
