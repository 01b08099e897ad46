/**
 * The caller's permissions on desktop objects and on their attributes.
 *
 * @module
 */

import type { HeaObject, ObjectType, Share } from "./object_type.ts";
import {
  GETTER_PERMISSIONS,
  hasAnyPermission,
  OWNER_PERMISSIONS,
  type Permission,
  PERMISSIONS,
  PUTTER_PERMISSIONS,
  SHARER_PERMISSIONS,
  sortPermissions,
} from "./permission.ts";
import { ALL_USERS, isSystemUser, SUPER_ADMIN_GROUP } from "./users.ts";

/** Attributes that only owners, super admins and share holders may see as more than viewers. */
const SHARE_ATTRIBUTES: ReadonlySet<string> = new Set([
  "owner",
  "invites",
  "user_shares",
  "group_shares",
]);

/**
 * The permissions of one caller, identified by its user id (`sub`) and the groups it belongs to.
 * Every method is pure: the same object and caller always give the same permissions.
 *
 * @example An owner, a viewer and a stranger
 * ```ts
 * import { PermissionContext } from "@hea/server/objects";
 * import assert from "node:assert/strict";
 *
 * const note = {
 *   type: "example.Note",
 *   owner: "alice",
 *   shares: [{ type: "heaobject.root.ShareImpl", user: "bob", group: "system|none", basis: "USER", permissions: ["VIEWER"] }],
 *   super_admin_default_permissions: [],
 * };
 * assert.deepEqual(new PermissionContext("bob").getPermissions(note), ["VIEWER"]);
 * assert.equal(new PermissionContext("alice").getPermissions(note).includes("DELETER"), true);
 * assert.deepEqual(new PermissionContext("carol").getPermissions(note), []);
 * ```
 */
export class PermissionContext {
  /** The caller's user id. */
  readonly sub: string;
  /** The caller's groups; always empty for system users. */
  readonly groups: readonly string[];

  /** Creates the context of user `sub` in `groups`. System users are members of no group. */
  constructor(sub: string, groups: readonly string[] = []) {
    this.sub = sub;
    this.groups = Object.freeze(isSystemUser(sub) ? [] : [...new Set(groups)]);
  }

  /** Whether this context skips permission checks: true only for {@linkcode AdminPermissionContext}. */
  get bypassesChecks(): boolean {
    return false;
  }

  /** Whether the caller is in the super-admin group. */
  get isSuperAdmin(): boolean {
    return this.groups.includes(SUPER_ADMIN_GROUP);
  }

  /** Returns whether the caller owns the object, directly or because everyone owns it. */
  isOwner(object: HeaObject): boolean {
    return object.owner === this.sub || object.owner === ALL_USERS;
  }

  /**
   * Returns the caller's permissions on a desktop object, in canonical order: the owner's
   * permissions for owners; otherwise the union of the super-admin defaults (for super admins), of
   * every share to the caller, to `system|all` or to one of its groups, and of the type's dynamic
   * permissions.
   */
  getPermissions(object: HeaObject, type?: ObjectType): Permission[] {
    if (this.isOwner(object)) {
      return [...OWNER_PERMISSIONS];
    }

    const granted = new Set<Permission>();
    if (this.isSuperAdmin) {
      addPermissions(granted, object.super_admin_default_permissions);
    }
    for (const share of sharesOf(object)) {
      if (this.shareAppliesToCaller(share)) {
        addPermissions(granted, share.permissions);
      }
    }
    if (type?.dynamicPermission && object.dynamic_permission_supported === true) {
      addPermissions(granted, type.dynamicPermission(object, this.sub));
    }

    return sortPermissions(granted);
  }

  /** Returns whether the caller has at least one of `needed` on the object. */
  hasAny(object: HeaObject, needed: readonly Permission[], type?: ObjectType): boolean {
    return hasAnyPermission(this.getPermissions(object, type), needed);
  }

  /** Returns whether a share grants the caller something: it names the caller, everyone or a group of the caller's. */
  shareAppliesToCaller(share: Share): boolean {
    if (share.basis === "GROUP" || (share.group && share.group !== "system|none")) {
      return this.groups.includes(share.group);
    }

    return share.user === this.sub || share.user === ALL_USERS;
  }

  /**
   * Returns the caller's permissions on one attribute: `[]` without access to the object,
   * `["VIEWER"]` when the attribute is read-only to the caller, and `["VIEWER", "EDITOR"]` when the
   * caller may change it. Read-only attributes are never editable; attributes that need a sharer
   * (shares, invites) need `SHARER` or `COOWNER`, others `EDITOR` or `COOWNER`; `owner` is read-only
   * to everyone but its owner and super admins. Callers without a share, such as those with dynamic
   * permissions only, see the owner and share attributes as viewers.
   */
  getAttributePermissions(
    object: HeaObject,
    type: ObjectType,
    name: string,
    objectPermissions: readonly Permission[] = this.getPermissions(object, type),
  ): Permission[] {
    const descriptor = type.attributes[name];
    if (!descriptor || !hasAnyPermission(objectPermissions, GETTER_PERMISSIONS)) {
      return [];
    }
    if (this.bypassesChecks) {
      return descriptor.readOnly ? ["VIEWER"] : ["VIEWER", "EDITOR"];
    }

    const owner = object.owner === this.sub;
    if (name === "owner" && !owner && !this.isSuperAdmin) {
      return ["VIEWER"];
    }
    if (descriptor.readOnly) {
      return ["VIEWER"];
    }

    const editors = descriptor.requiresSharer ? SHARER_PERMISSIONS : PUTTER_PERMISSIONS;
    if (!hasAnyPermission(objectPermissions, editors)) {
      return ["VIEWER"];
    }

    // Only the named owner escapes this cap, as in HEA: an object owned by `system|all` gives
    // everyone the owner's permissions, but not the right to change its owner, invites or shares.
    const hasShare = sharesOf(object).some((share) => this.shareAppliesToCaller(share));
    if (SHARE_ATTRIBUTES.has(name) && !owner && !this.isSuperAdmin && !hasShare) {
      return ["VIEWER"];
    }

    return ["VIEWER", "EDITOR"];
  }

  /** Returns the caller's permissions on every attribute of the object, by attribute name. */
  getAllAttributePermissions(
    object: HeaObject,
    type: ObjectType,
    objectPermissions: readonly Permission[] = this.getPermissions(object, type),
  ): Record<string, Permission[]> {
    const result: Record<string, Permission[]> = {};
    for (const name of Object.keys(type.attributes)) {
      result[name] = this.getAttributePermissions(object, type, name, objectPermissions);
    }

    return result;
  }

  /** Returns the attributes of the object that the caller may not change. */
  protectedAttributes(object: HeaObject, type: ObjectType): Set<string> {
    const permissions = this.getPermissions(object, type);
    const names = Object.keys(type.attributes).filter((name) =>
      !this.getAttributePermissions(object, type, name, permissions).includes("EDITOR")
    );

    return new Set(names);
  }
}

/**
 * A context for system code that bypasses every permission check, because it has every permission on
 * every object. Never build one from request input.
 *
 * @example Read anything
 * ```ts
 * import { AdminPermissionContext } from "@hea/server/objects";
 * import assert from "node:assert/strict";
 *
 * const admin = new AdminPermissionContext();
 * assert.equal(admin.getPermissions({ type: "x.Y", owner: "alice" }).length, 6);
 * ```
 */
export class AdminPermissionContext extends PermissionContext {
  /** Creates an admin context acting as `sub`, `system|none` by default. */
  constructor(sub = "system|none") {
    super(sub);
  }

  /** Always true: system code reads and changes every object. */
  override get bypassesChecks(): boolean {
    return true;
  }

  /** Returns every permission. */
  override getPermissions(_object: HeaObject, _type?: ObjectType): Permission[] {
    return [...PERMISSIONS];
  }
}

function sharesOf(object: HeaObject): Share[] {
  const shares = object.shares ??
    [...asArray(object.user_shares), ...asArray(object.group_shares)];

  return asArray(shares) as Share[];
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function addPermissions(target: Set<Permission>, permissions: unknown): void {
  for (const permission of asArray(permissions)) {
    if (typeof permission === "string" && (PERMISSIONS as readonly string[]).includes(permission)) {
      target.add(permission as Permission);
    }
  }
}
