/**
 * Attribute descriptors: the value kind, default and permission metadata of one attribute of a
 * HEA object type.
 *
 * @module
 */

/** The kind of value an attribute holds, which decides how input is checked and converted. */
export type AttributeKind =
  | "string"
  | "boolean"
  | "number"
  | "integer"
  | "datetime"
  | "strings"
  | "permissions"
  | "object"
  | "objects"
  | "json";

/** Metadata that decides who may change an attribute and how documents show it. */
export interface AttributeOptions {
  /** Whether `null` is a valid value. Defaults to `true` for scalars and `false` for lists. */
  readonly nullable?: boolean;
  /** The value of a new object, or a function that makes one. */
  readonly default?: unknown;
  /** Whether the server alone sets the attribute: input values are ignored. */
  readonly readOnly?: boolean;
  /** Whether changing the attribute needs `SHARER` or `COOWNER` rather than `EDITOR`. */
  readonly requiresSharer?: boolean;
  /** Whether the value is a secret that must never be logged or shown in an error. */
  readonly secret?: boolean;
  /** The label that forms show. Defaults to the attribute name. */
  readonly prompt?: string;
  /** Whether documents mark the attribute for display. Defaults to `true`, except for `id`. */
  readonly display?: boolean;
  /** The values a string attribute accepts, when it is an enumeration. */
  readonly values?: readonly string[];
  /** Another attribute whose value this one takes while it is `null`. */
  readonly defaultFrom?: string;
  /** Whether a string value must contain more than white space. */
  readonly nonBlank?: boolean;
  /** A format that string values must have: `url` for an absolute http or https URL. */
  readonly format?: "url";
}

/** A complete attribute descriptor, as object types store it. */
export interface Attribute extends AttributeOptions {
  /** The kind of value. */
  readonly kind: AttributeKind;
  /** For `object` and `objects`: the type name of the member objects. */
  readonly memberType?: string;
}

/** Builders for {@linkcode Attribute} descriptors, one per kind of value. */
export interface AttributeBuilders {
  /** A string, `null` allowed unless `nullable` is `false`. */
  string(options?: AttributeOptions): Attribute;
  /** A boolean; form input `"true"` and `"false"` is converted. */
  boolean(options?: AttributeOptions): Attribute;
  /** A finite number; numeric strings from forms are converted. */
  number(options?: AttributeOptions): Attribute;
  /** An integer; numeric strings from forms are converted. */
  integer(options?: AttributeOptions): Attribute;
  /** A date and time, stored as an ISO 8601 string in UTC. */
  datetime(options?: AttributeOptions): Attribute;
  /** A list of strings. */
  strings(options?: AttributeOptions): Attribute;
  /** A list of permission names. */
  permissions(options?: AttributeOptions): Attribute;
  /** A nested object of a member type. */
  object(memberType: string, options?: AttributeOptions): Attribute;
  /** A list of objects of a member type. */
  objects(memberType: string, options?: AttributeOptions): Attribute;
  /** Any JSON value, stored as given. */
  json(options?: AttributeOptions): Attribute;
}

/**
 * Builders for attribute descriptors.
 *
 * @example Describe the attributes of a registry property
 * ```ts
 * import { attribute } from "@hea/server/objects";
 * import assert from "node:assert/strict";
 *
 * const value = attribute.string({ prompt: "Value" });
 * assert.equal(value.kind, "string");
 * assert.equal(attribute.objects("heaobject.registry.Resource").memberType, "heaobject.registry.Resource");
 * ```
 */
export const attribute: AttributeBuilders = {
  string: (options = {}) => ({ ...options, kind: "string" }),
  boolean: (options = {}) => ({ ...options, kind: "boolean" }),
  number: (options = {}) => ({ ...options, kind: "number" }),
  integer: (options = {}) => ({ ...options, kind: "integer" }),
  datetime: (options = {}) => ({ ...options, kind: "datetime" }),
  strings: (options = {}) => ({ ...options, kind: "strings" }),
  permissions: (options = {}) => ({ ...options, kind: "permissions" }),
  object: (memberType, options = {}) => ({ ...options, kind: "object", memberType }),
  objects: (memberType, options = {}) => ({ ...options, kind: "objects", memberType }),
  json: (options = {}) => ({ ...options, kind: "json" }),
};

/**
 * Returns whether an attribute accepts `null`.
 *
 * @example Lists are not nullable by default
 * ```ts
 * import { attribute, isNullable } from "@hea/server/objects";
 * import assert from "node:assert/strict";
 *
 * assert.equal(isNullable(attribute.string()), true);
 * assert.equal(isNullable(attribute.strings()), false);
 * ```
 */
export function isNullable(descriptor: Attribute): boolean {
  if (descriptor.nullable !== undefined) {
    return descriptor.nullable;
  }

  return !isListKind(descriptor.kind);
}

/**
 * Returns the default value of an attribute for a new object: the descriptor's default, else an
 * empty list for list kinds, `false` for booleans and `null` for the rest.
 *
 * @example Defaults of several kinds
 * ```ts
 * import { attribute, defaultValue } from "@hea/server/objects";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(defaultValue(attribute.strings()), []);
 * assert.equal(defaultValue(attribute.boolean()), false);
 * assert.equal(defaultValue(attribute.string({ default: "x" })), "x");
 * ```
 */
export function defaultValue(descriptor: Attribute): unknown {
  const configured = descriptor.default;
  if (typeof configured === "function") {
    return configured();
  }
  if (configured !== undefined) {
    return structuredClone(configured);
  }
  if (isListKind(descriptor.kind)) {
    return [];
  }
  if (descriptor.kind === "boolean") {
    return false;
  }

  return null;
}

function isListKind(kind: AttributeKind): boolean {
  return kind === "strings" || kind === "permissions" || kind === "objects";
}
