/**
 * Permissions that a caller may hold on a desktop object, and the groups of them that each kind of
 * request needs.
 *
 * @module
 */

/**
 * A permission on a desktop object. HEA serializes permissions by name.
 *
 * - `VIEWER`: read the object.
 * - `EDITOR`: change the object's attributes.
 * - `SHARER`: change who the object is shared with.
 * - `COOWNER`: everything the owner may do.
 * - `CREATOR`: create objects inside a container.
 * - `DELETER`: delete the object.
 *
 * @example Check a value from a request body
 * ```ts
 * import { isPermission } from "@hea/server/objects";
 * import assert from "node:assert/strict";
 *
 * assert.equal(isPermission("EDITOR"), true);
 * assert.equal(isPermission("ADMIN"), false);
 * ```
 */
export type Permission = "VIEWER" | "EDITOR" | "SHARER" | "COOWNER" | "CREATOR" | "DELETER";

/**
 * Every permission, in the order HEA declares them and in which this library lists them.
 *
 * @example List the permission names
 * ```ts
 * import { PERMISSIONS } from "@hea/server/objects";
 * import assert from "node:assert/strict";
 *
 * assert.equal(PERMISSIONS.length, 6);
 * ```
 */
export const PERMISSIONS: readonly Permission[] = Object.freeze([
  "VIEWER",
  "EDITOR",
  "SHARER",
  "COOWNER",
  "CREATOR",
  "DELETER",
]);

/**
 * Returns whether a value is the name of a permission.
 *
 * @example Narrow an unknown value
 * ```ts
 * import { isPermission } from "@hea/server/objects";
 * import assert from "node:assert/strict";
 *
 * assert.equal(isPermission("VIEWER"), true);
 * assert.equal(isPermission("viewer"), false);
 * ```
 */
export function isPermission(value: unknown): value is Permission {
  return typeof value === "string" && (PERMISSIONS as readonly string[]).includes(value);
}

/**
 * The permissions an owner has on its own object: every permission but `CREATOR`, which only
 * containers grant.
 *
 * @example Owners may delete
 * ```ts
 * import { OWNER_PERMISSIONS } from "@hea/server/objects";
 * import assert from "node:assert/strict";
 *
 * assert.ok(OWNER_PERMISSIONS.includes("DELETER"));
 * assert.ok(!OWNER_PERMISSIONS.includes("CREATOR"));
 * ```
 */
export const OWNER_PERMISSIONS: readonly Permission[] = Object.freeze(
  PERMISSIONS.filter((permission) => permission !== "CREATOR"),
);

/**
 * Permissions that let a caller read an object: any one of them is enough for a GET.
 *
 * @example A sharer can read
 * ```ts
 * import { GETTER_PERMISSIONS } from "@hea/server/objects";
 * import assert from "node:assert/strict";
 *
 * assert.ok(GETTER_PERMISSIONS.includes("SHARER"));
 * ```
 */
export const GETTER_PERMISSIONS: readonly Permission[] = Object.freeze([
  "VIEWER",
  "COOWNER",
  "EDITOR",
  "SHARER",
]);

/**
 * Permissions that let a caller update an object with PUT.
 *
 * @example A viewer cannot update
 * ```ts
 * import { PUTTER_PERMISSIONS } from "@hea/server/objects";
 * import assert from "node:assert/strict";
 *
 * assert.ok(!PUTTER_PERMISSIONS.includes("VIEWER"));
 * ```
 */
export const PUTTER_PERMISSIONS: readonly Permission[] = Object.freeze(["EDITOR", "COOWNER"]);

/**
 * Permissions that let a caller create objects in a container with POST.
 *
 * @example Creators and co-owners may create
 * ```ts
 * import { POSTER_PERMISSIONS } from "@hea/server/objects";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual([...POSTER_PERMISSIONS], ["CREATOR", "COOWNER"]);
 * ```
 */
export const POSTER_PERMISSIONS: readonly Permission[] = Object.freeze(["CREATOR", "COOWNER"]);

/**
 * Permissions that let a caller delete an object. The caller must also be able to read the object,
 * with one of {@linkcode GETTER_PERMISSIONS}, because an object it cannot see is not found.
 *
 * @example Deleters and co-owners may delete
 * ```ts
 * import { DELETER_PERMISSIONS } from "@hea/server/objects";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual([...DELETER_PERMISSIONS], ["DELETER", "COOWNER"]);
 * ```
 */
export const DELETER_PERMISSIONS: readonly Permission[] = Object.freeze(["DELETER", "COOWNER"]);

/**
 * Permissions that let a caller change an object's shares and invites.
 *
 * @example Editors cannot share
 * ```ts
 * import { SHARER_PERMISSIONS } from "@hea/server/objects";
 * import assert from "node:assert/strict";
 *
 * assert.ok(!SHARER_PERMISSIONS.includes("EDITOR"));
 * ```
 */
export const SHARER_PERMISSIONS: readonly Permission[] = Object.freeze(["SHARER", "COOWNER"]);

/**
 * Returns the permissions of which a caller needs at least one for an HTTP method on an existing
 * object: GET and HEAD need a getter permission, PUT and PATCH an editor one, POST a creator one and
 * DELETE a deleter one.
 *
 * @throws {RangeError} for a method that does not act on desktop objects.
 *
 * @example Permissions for a PUT
 * ```ts
 * import { permissionsForMethod } from "@hea/server/objects";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual([...permissionsForMethod("PUT")], ["EDITOR", "COOWNER"]);
 * ```
 */
export function permissionsForMethod(method: string): readonly Permission[] {
  switch (method.toUpperCase()) {
    case "GET":
    case "HEAD":
      return GETTER_PERMISSIONS;
    case "PUT":
    case "PATCH":
      return PUTTER_PERMISSIONS;
    case "POST":
      return POSTER_PERMISSIONS;
    case "DELETE":
      return DELETER_PERMISSIONS;
    default:
      throw new RangeError(`No permission group for HTTP method "${method}"`);
  }
}

/**
 * Returns whether any of the `held` permissions is among the `needed` ones.
 *
 * @example An editor may PUT
 * ```ts
 * import { hasAnyPermission, PUTTER_PERMISSIONS } from "@hea/server/objects";
 * import assert from "node:assert/strict";
 *
 * assert.equal(hasAnyPermission(["VIEWER", "EDITOR"], PUTTER_PERMISSIONS), true);
 * assert.equal(hasAnyPermission(["VIEWER"], PUTTER_PERMISSIONS), false);
 * ```
 */
export function hasAnyPermission(
  held: readonly Permission[],
  needed: readonly Permission[],
): boolean {
  return held.some((permission) => needed.includes(permission));
}

/**
 * Returns whether permissions are read-only: they include `VIEWER` but neither `EDITOR` nor
 * `COOWNER`.
 *
 * @example Viewer-only permissions
 * ```ts
 * import { arePermissionsReadOnly } from "@hea/server/objects";
 * import assert from "node:assert/strict";
 *
 * assert.equal(arePermissionsReadOnly(["VIEWER", "SHARER"]), true);
 * assert.equal(arePermissionsReadOnly(["VIEWER", "EDITOR"]), false);
 * assert.equal(arePermissionsReadOnly([]), false);
 * ```
 */
export function arePermissionsReadOnly(permissions: readonly Permission[]): boolean {
  return permissions.includes("VIEWER") && !hasAnyPermission(permissions, PUTTER_PERMISSIONS);
}

/**
 * Sorts permissions into the canonical order of {@linkcode PERMISSIONS} and drops duplicates, so
 * documents list them the same way every time.
 *
 * @example Normalize a set
 * ```ts
 * import { sortPermissions } from "@hea/server/objects";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(sortPermissions(["DELETER", "VIEWER", "VIEWER"]), ["VIEWER", "DELETER"]);
 * ```
 */
export function sortPermissions(permissions: Iterable<Permission>): Permission[] {
  const held = new Set(permissions);
  return PERMISSIONS.filter((permission) => held.has(permission));
}
