/**
 * The desktop-object model: HEA's dotted type names, attribute descriptors, a type registry,
 * validated JSON conversion, and permissions on objects and on their attributes.
 *
 * @example Define a type, parse input, check permissions
 * ```ts
 * import {
 *   attribute,
 *   defineDesktopObjectType,
 *   parseObject,
 *   PermissionContext,
 *   TypeRegistry,
 * } from "@hea/server/objects";
 * import assert from "node:assert/strict";
 *
 * const Note = defineDesktopObjectType({
 *   name: "example.Note",
 *   displayName: "Note",
 *   attributes: { text: attribute.string() },
 * });
 * const note = parseObject(
 *   { type: "example.Note", name: "n1", text: "hi", owner: "alice" },
 *   Note,
 *   { registry: new TypeRegistry([Note]) },
 * );
 * assert.equal(new PermissionContext("alice").hasAny(note, ["DELETER"]), true);
 * assert.equal(new PermissionContext("bob").hasAny(note, ["VIEWER"]), false);
 * ```
 *
 * @module
 */

export * from "./attribute.ts";
export * from "./invalid_object_error.ts";
export * from "./object_type.ts";
export * from "./permission.ts";
export * from "./permission_context.ts";
export * from "./registry.ts";
export * from "./serialization.ts";
export * from "./type_registry.ts";
export * from "./users.ts";
