/**
 * Object types: HEA's dotted type names bound to attribute descriptors, for desktop objects and for
 * the member objects nested inside them.
 *
 * @module
 */

import { type Attribute, attribute } from "./attribute.ts";
import type { Permission } from "./permission.ts";
import { NONE_USER } from "./users.ts";

/** A HEA object as JSON: attribute names to values, with its type name under `type`. */
export type HeaObject = Record<string, unknown> & { type: string };

/** A share that grants a user or a group permissions on an object. */
export interface Share {
  /** Always `heaobject.root.ShareImpl`. */
  type: string;
  /** The user the share is for, or `system|none` for a group share. */
  user: string;
  /** The group the share is for, or `system|none` for a user share. */
  group: string;
  /** The permissions the share grants. */
  permissions: Permission[];
  /** `USER` or `GROUP`. */
  basis: "USER" | "GROUP";
  /** An invitation attached to the share, if any. */
  invite?: Record<string, unknown> | null;
  /** Further attributes, as JSON. */
  [attribute: string]: unknown;
}

/** The attributes every desktop object has, as JSON. */
export interface DesktopObject extends HeaObject {
  /** Store-assigned id, `null` before the object is stored. */
  id: string | null;
  /** `{type}^{id}`: unique across every desktop object of a deployment. */
  instance_id: string | null;
  /** The unique name of the object within its collection, when its type requires one. */
  name: string | null;
  /** The name shown to people. */
  display_name: string;
  /** A description for people. */
  description: string | null;
  /** The user who owns the object. */
  owner: string;
  /** Shares with users. */
  user_shares: Share[];
  /** Shares with groups. */
  group_shares: Share[];
  /** The user and group shares together: computed, read-only, and stored for queries. */
  shares: Share[];
  /** Invitations to share the object. */
  invites: Record<string, unknown>[];
  /** When the object was stored, in UTC ISO 8601, set by the server. */
  created: string | null;
  /** When the object last changed, in UTC ISO 8601, set by the server. */
  modified: string | null;
  /** The id of the process that derived the object from others. */
  derived_by: string | null;
  /** The ids of the objects this one was derived from. */
  derived_from: string[];
  /** The origin of the object, such as `AWS`. */
  source: string | null;
  /** Details of the source. */
  source_detail: string | null;
  /** The type's name for people. */
  type_display_name: string;
  /** The permissions that members of the super-admin group have on the object. */
  super_admin_default_permissions: Permission[];
  /** Whether the type computes extra permissions from the object's content. */
  dynamic_permission_supported: boolean;
}

/** A function that grants permissions computed from an object, such as an organization's members. */
export type DynamicPermission = (object: HeaObject, sub: string) => Permission[];

/** Options of {@linkcode defineObjectType} and {@linkcode defineDesktopObjectType}. */
export interface ObjectTypeOptions {
  /** The dotted type name, such as `heaobject.registry.Component`. */
  readonly name: string;
  /** The type's name for people, such as `Registry Component`. */
  readonly displayName: string;
  /** The type's own attributes, besides those every desktop object has. */
  readonly attributes?: Readonly<Record<string, Attribute>>;
  /** The type name of the supertype, so that subscribers of the supertype receive this one too. */
  readonly supertype?: string;
  /** The MIME type of objects of this type, emitted as `mime_type`. */
  readonly mimeType?: string;
  /**
   * The permissions that members of the super-admin group get on new objects of this type. Defaults
   * to none, so super admins reach an object only where its type or the object grants them access.
   */
  readonly superAdminDefaultPermissions?: readonly Permission[];
  /** Permissions granted from the object's content, for types with `dynamic_permission_supported`. */
  readonly dynamicPermission?: DynamicPermission;
  /** Derives attributes from others after input is parsed, such as a share's basis from its group. */
  readonly normalize?: (object: HeaObject, input: Readonly<Record<string, unknown>>) => void;
}

/** A registered object type: its name, attributes and permission rules. */
export interface ObjectType {
  /** The dotted type name. */
  readonly name: string;
  /** The type's name for people. */
  readonly displayName: string;
  /** Every attribute, those every desktop object has included, in serialization order. */
  readonly attributes: Readonly<Record<string, Attribute>>;
  /** Whether objects of this type are desktop objects with owners and shares. */
  readonly isDesktopObject: boolean;
  /** The supertype's name, if any. */
  readonly supertype?: string;
  /** The MIME type of objects of this type. */
  readonly mimeType?: string;
  /** The permissions that members of the super-admin group get on new objects of this type. */
  readonly superAdminDefaultPermissions: readonly Permission[];
  /** Permissions granted from the object's content. */
  readonly dynamicPermission?: DynamicPermission;
  /** Derives attributes from others after input is parsed. */
  readonly normalize?: (object: HeaObject, input: Readonly<Record<string, unknown>>) => void;
}

/** The type name of shares. */
export const SHARE_TYPE_NAME = "heaobject.root.ShareImpl";

/** The type name of invitations. */
export const INVITE_TYPE_NAME = "heaobject.root.InviteImpl";

const SHARE_BASIS_VALUES = ["USER", "GROUP"] as const;
const TYPE_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+$/;

/**
 * Defines a member object type: an object nested inside a desktop object, such as a registry
 * component's resources.
 *
 * @example Define a member type
 * ```ts
 * import { attribute, defineObjectType } from "@hea/server/objects";
 * import assert from "node:assert/strict";
 *
 * const Tag = defineObjectType({
 *   name: "example.Tag",
 *   displayName: "Tag",
 *   attributes: { label: attribute.string() },
 * });
 * assert.equal(Tag.isDesktopObject, false);
 * assert.ok("label" in Tag.attributes);
 * ```
 */
export function defineObjectType(options: ObjectTypeOptions): ObjectType {
  checkTypeName(options.name);

  return Object.freeze({
    name: options.name,
    displayName: options.displayName,
    attributes: Object.freeze({
      ...options.attributes,
      type: attribute.string({ readOnly: true, nullable: false }),
      type_display_name: attribute.string({ readOnly: true, nullable: false }),
    }),
    isDesktopObject: false,
    ...(options.supertype ? { supertype: options.supertype } : {}),
    ...(options.mimeType ? { mimeType: options.mimeType } : {}),
    superAdminDefaultPermissions: Object.freeze([...(options.superAdminDefaultPermissions ?? [])]),
    ...(options.normalize ? { normalize: options.normalize } : {}),
  });
}

/**
 * Defines a desktop object type: its own attributes are added to those every desktop object has
 * (id, name, owner, shares, timestamps...).
 *
 * @example Define a registry property type
 * ```ts
 * import { attribute, defineDesktopObjectType } from "@hea/server/objects";
 * import assert from "node:assert/strict";
 *
 * const Property = defineDesktopObjectType({
 *   name: "heaobject.registry.Property",
 *   displayName: "Property",
 *   attributes: { value: attribute.string({ prompt: "Value" }) },
 * });
 * assert.equal(Property.isDesktopObject, true);
 * assert.ok("owner" in Property.attributes);
 * assert.equal(Property.attributes.id?.readOnly, true);
 * ```
 */
export function defineDesktopObjectType(options: ObjectTypeOptions): ObjectType {
  checkTypeName(options.name);

  return Object.freeze({
    name: options.name,
    displayName: options.displayName,
    attributes: Object.freeze({
      ...desktopObjectAttributes(),
      ...(options.mimeType ? { mime_type: attribute.string({ readOnly: true }) } : {}),
      ...options.attributes,
    }),
    isDesktopObject: true,
    ...(options.supertype ? { supertype: options.supertype } : {}),
    ...(options.mimeType ? { mimeType: options.mimeType } : {}),
    superAdminDefaultPermissions: Object.freeze([...(options.superAdminDefaultPermissions ?? [])]),
    ...(options.dynamicPermission ? { dynamicPermission: options.dynamicPermission } : {}),
    ...(options.normalize ? { normalize: options.normalize } : {}),
  });
}

/**
 * The share type: a user or group and the permissions granted to it.
 *
 * @example Its attributes
 * ```ts
 * import { ShareType } from "@hea/server/objects";
 * import assert from "node:assert/strict";
 *
 * assert.equal(ShareType.name, "heaobject.root.ShareImpl");
 * assert.equal(ShareType.attributes.permissions?.kind, "permissions");
 * ```
 */
export const ShareType: ObjectType = defineObjectType({
  name: SHARE_TYPE_NAME,
  displayName: "Share",
  attributes: {
    user: attribute.string({ default: NONE_USER, nullable: false }),
    group: attribute.string({ default: NONE_USER, nullable: false }),
    permissions: attribute.permissions(),
    basis: attribute.string({ default: "USER", nullable: false, values: SHARE_BASIS_VALUES }),
    invite: attribute.object(INVITE_TYPE_NAME),
  },
  normalize: basisFromGroup,
});

/**
 * The invitation type: an offer of a share that the invitee has or has not accepted.
 *
 * @example Its attributes
 * ```ts
 * import { InviteType } from "@hea/server/objects";
 * import assert from "node:assert/strict";
 *
 * assert.equal(InviteType.attributes.accepted?.kind, "boolean");
 * ```
 */
export const InviteType: ObjectType = defineObjectType({
  name: INVITE_TYPE_NAME,
  displayName: "Invite",
  attributes: {
    user: attribute.string({ default: NONE_USER, nullable: false }),
    group: attribute.string({ default: NONE_USER, nullable: false }),
    permissions: attribute.permissions(),
    basis: attribute.string({ default: "USER", nullable: false, values: SHARE_BASIS_VALUES }),
    accepted: attribute.boolean(),
  },
  normalize: basisFromGroup,
});

function desktopObjectAttributes(): Record<string, Attribute> {
  return {
    id: attribute.string({ readOnly: true, prompt: "Id", display: false }),
    instance_id: attribute.string({ readOnly: true }),
    name: attribute.string(),
    display_name: attribute.string({ nullable: true }),
    description: attribute.string(),
    description_mime_type: attribute.string(),
    owner: attribute.string({ default: NONE_USER, nullable: false, nonBlank: true }),
    user_shares: attribute.objects(SHARE_TYPE_NAME, { requiresSharer: true }),
    group_shares: attribute.objects(SHARE_TYPE_NAME, { requiresSharer: true }),
    shares: attribute.objects(SHARE_TYPE_NAME, { readOnly: true }),
    invites: attribute.objects(INVITE_TYPE_NAME, { requiresSharer: true }),
    created: attribute.datetime({ readOnly: true }),
    modified: attribute.datetime({ readOnly: true }),
    derived_by: attribute.string(),
    derived_from: attribute.strings(),
    source: attribute.string(),
    source_detail: attribute.string(),
    type: attribute.string({ readOnly: true, nullable: false }),
    type_display_name: attribute.string({ readOnly: true, nullable: false }),
    super_admin_default_permissions: attribute.permissions({ readOnly: true }),
    dynamic_permission_supported: attribute.boolean({ readOnly: true }),
  };
}

function checkTypeName(name: string): void {
  if (!TYPE_NAME_PATTERN.test(name)) {
    throw new TypeError(
      `Invalid type name "${name}": use a dotted module path and class name such as heaobject.registry.Component`,
    );
  }
}

/** Makes a share or invitation that names a group and no basis a group share, as HEA does. */
function basisFromGroup(object: HeaObject, input: Readonly<Record<string, unknown>>): void {
  if ((input.basis === undefined || input.basis === null) && object.group !== NONE_USER) {
    object.basis = "GROUP";
  }
}
