/**
 * The set of design-time actions of a service, and the run-time actions built from them.
 *
 * @module
 */

import type { TypeRegistry } from "../objects/mod.ts";
import type { Action, ActionLink, ItemIf, RunTimeAction } from "./action.ts";
import { joinUrl } from "./action.ts";
import { compileItemIf } from "./item_if.ts";

/**
 * A service's design-time actions by name. Handlers attach them to documents with
 * {@linkcode ActionSet.attach}, which resolves paths against the service's base URL.
 *
 * @example Attach a self link
 * ```ts
 * import { ActionSet } from "@hea/server/representors";
 * import assert from "node:assert/strict";
 *
 * const actions = new ActionSet([
 *   { name: "example-note-get-self", type: "safe", target: ["item", "read", "cj"], prompt: "View" },
 * ]);
 * const [self] = actions.attach(
 *   [{ name: "example-note-get-self", path: "notes/{id}", rel: "self" }],
 *   "http://localhost:8080",
 * );
 * assert.equal(self?.href, "http://localhost:8080/notes/{id}");
 * assert.deepEqual(self?.rel, ["self"]);
 * ```
 */
export class ActionSet {
  readonly #actions: Map<string, Action> = new Map();
  readonly #registry: TypeRegistry | undefined;
  readonly #compiled: Map<string, ItemIf> = new Map();
  /** The title of the service's WeSTL documents, if any. */
  readonly title: string | undefined;

  /**
   * Creates a set from actions. The registry resolves type names in item conditions written as
   * expressions; the title, when given, heads every WeSTL document.
   *
   * @throws {TypeError} when two actions share a name.
   */
  constructor(
    actions: Iterable<Action> = [],
    options: { registry?: TypeRegistry; title?: string } = {},
  ) {
    this.#registry = options.registry;
    this.title = options.title;
    for (const action of actions) {
      this.add(action);
    }
  }

  /**
   * Adds an action.
   *
   * @throws {TypeError} when an action with the name exists.
   */
  add(action: Action): this {
    if (this.#actions.has(action.name)) {
      throw new TypeError(`Duplicate action name "${action.name}"`);
    }
    this.#actions.set(action.name, action);

    return this;
  }

  /** Returns the action with a name, or `undefined`. */
  get(name: string): Action | undefined {
    return this.#actions.get(name);
  }

  /** Returns every action. */
  all(): Action[] {
    return [...this.#actions.values()];
  }

  /**
   * Builds run-time actions from links, resolving each path against `baseUrl` (or the link's own
   * root).
   *
   * @throws {TypeError} for an unknown action name, a name attached twice, or an `itemIf` on an
   * action without the `item` target.
   */
  attach(links: readonly ActionLink[], baseUrl: string): RunTimeAction[] {
    const attached = new Set<string>();

    return links.map((link) => {
      const action = this.#actions.get(link.name);
      if (!action) {
        throw new TypeError(`Unknown action "${link.name}": add it to the service's actions first`);
      }
      if (attached.has(link.name)) {
        throw new TypeError(`Action "${link.name}" is attached twice`);
      }
      const itemIf = this.#itemIf(link.itemIf) ?? action.itemIf;
      if (itemIf && !action.target.includes("item")) {
        throw new TypeError(`Action "${link.name}" has an itemIf but no item target`);
      }
      attached.add(link.name);

      const rel = typeof link.rel === "string" ? link.rel.split(/\s+/).filter(Boolean) : link.rel;

      const root = link.root ?? baseUrl;
      const inputs = action.inputs?.map((input) =>
        input.optionsFromUrl
          ? {
            ...input,
            optionsFromUrl: {
              ...input.optionsFromUrl,
              href: joinUrl(root, input.optionsFromUrl.path),
            },
          }
          : input
      );

      return {
        ...action,
        ...(inputs ? { inputs } : {}),
        href: joinUrl(root, link.path ?? ""),
        rel: [...(rel ?? action.rel ?? [])],
        ...(itemIf ? { itemIf } : {}),
      };
    });
  }

  #itemIf(condition: ItemIf | string | undefined): ItemIf | undefined {
    if (typeof condition !== "string") {
      return condition;
    }

    let compiled = this.#compiled.get(condition);
    if (!compiled) {
      compiled = compileItemIf(condition, this.#registry);
      this.#compiled.set(condition, compiled);
    }
    return compiled;
  }
}
