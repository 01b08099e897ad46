/**
 * Conversion between JSON input and desktop objects: validation of the type name and of every
 * attribute value, defaults, and the computed attributes.
 *
 * @module
 */

import { type Attribute, defaultValue, isNullable } from "./attribute.ts";
import { InvalidObjectError } from "./invalid_object_error.ts";
import type { DesktopObject, HeaObject, ObjectType } from "./object_type.ts";
import { isPermission, type Permission, sortPermissions } from "./permission.ts";
import type { TypeRegistry } from "./type_registry.ts";

/** Options of {@linkcode parseObject}. */
export interface ParseOptions {
  /** The registry that resolves the input's `type` and the types of nested objects. */
  readonly registry: TypeRegistry;
  /**
   * The stored object that the input updates. Its read-only attributes (id, created...), the
   * attributes listed in `protectedAttributes`, and the attributes the input omits keep their stored
   * values.
   */
  readonly existing?: HeaObject;
  /** Attributes whose input values are ignored, such as those the caller may not edit. */
  readonly protectedAttributes?: ReadonlySet<string>;
}

const UNSAFE_KEYS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

/**
 * Creates a new object of a type with every attribute at its default.
 *
 * @example A new share
 * ```ts
 * import { newObject, ShareType } from "@hea/server/objects";
 * import assert from "node:assert/strict";
 *
 * const share = newObject(ShareType);
 * assert.equal(share.type, "heaobject.root.ShareImpl");
 * assert.equal(share.user, "system|none");
 * assert.deepEqual(share.permissions, []);
 * ```
 */
export function newObject(type: ObjectType): HeaObject {
  const object: HeaObject = { type: type.name };
  for (const [name, descriptor] of Object.entries(type.attributes)) {
    object[name] = defaultValue(descriptor);
  }
  if (type.isDesktopObject) {
    object.super_admin_default_permissions = [...type.superAdminDefaultPermissions];
  }

  return completeObject(object, type);
}

/**
 * Validates JSON input as an object of `expected` type or of one of its subtypes, and returns the
 * object with defaults for missing attributes and computed attributes filled in. Attributes the type
 * does not declare, and read-only ones, are ignored.
 *
 * @throws {InvalidObjectError} naming the field when the type is missing, unknown or not `expected`,
 * or when a value has the wrong kind.
 *
 * @example Parse a registry property
 * ```ts
 * import { attribute, defineDesktopObjectType, parseObject, TypeRegistry } from "@hea/server/objects";
 * import assert from "node:assert/strict";
 *
 * const Property = defineDesktopObjectType({
 *   name: "heaobject.registry.Property",
 *   displayName: "Property",
 *   attributes: { value: attribute.string() },
 * });
 * const registry = new TypeRegistry([Property]);
 * const property = parseObject(
 *   { type: "heaobject.registry.Property", name: "x", value: "1", id: "ignored" },
 *   Property,
 *   { registry },
 * );
 * assert.equal(property.value, "1");
 * assert.equal(property.id, null);
 * assert.throws(() => parseObject({ name: "x" }, Property, { registry }), /Invalid field type/);
 * ```
 */
export function parseObject(
  input: unknown,
  expected: ObjectType,
  options: ParseOptions,
): DesktopObject {
  return parseMember(input, expected, options, "") as DesktopObject;
}

/**
 * Fills in an object's missing attributes with their defaults and recomputes the computed ones:
 * `shares` from the user and group shares, `instance_id` from the type and id, the default
 * `display_name`, `type_display_name` and `mime_type`.
 *
 * @example Complete a stored document
 * ```ts
 * import { completeObject, type HeaObject, ShareType } from "@hea/server/objects";
 * import assert from "node:assert/strict";
 *
 * const share = completeObject<HeaObject>({ type: ShareType.name, user: "alice" }, ShareType);
 * assert.equal(share.group, "system|none");
 * assert.equal(share.type_display_name, "Share");
 * ```
 */
export function completeObject<T extends HeaObject>(object: T, type: ObjectType): T {
  const record = object as HeaObject;
  for (const [name, descriptor] of Object.entries(type.attributes)) {
    if (record[name] === undefined) {
      record[name] = defaultValue(descriptor);
    }
    if (record[name] === null && descriptor.defaultFrom !== undefined) {
      record[name] = record[descriptor.defaultFrom] ?? null;
    }
  }
  record.type = type.name;
  record.type_display_name = type.displayName;
  if (type.mimeType) {
    record.mime_type = type.mimeType;
  }
  if (type.isDesktopObject) {
    const userShares = Array.isArray(record.user_shares) ? record.user_shares : [];
    const groupShares = Array.isArray(record.group_shares) ? record.group_shares : [];
    record.shares = [...userShares, ...groupShares];
    record.instance_id = typeof record.id === "string" ? `${type.name}^${record.id}` : null;
    if (record.display_name === null || record.display_name === undefined) {
      record.display_name = `Untitled ${type.displayName}`;
    }
  }

  return object;
}

/**
 * Completes an object and, recursively, the member objects it holds, resolving their types in
 * `registry`. Stores call it on documents that another service may have written, which can lack
 * attributes or carry stale computed ones.
 *
 * @example Complete a stored component and its resources
 * ```ts
 * import { completeObjectTree, ComponentType, type HeaObject, ResourceType, TypeRegistry } from "@hea/server/objects";
 * import assert from "node:assert/strict";
 *
 * const registry = new TypeRegistry([ComponentType, ResourceType]);
 * const component = completeObjectTree<HeaObject>({
 *   type: ComponentType.name,
 *   id: "6650f0c2a3b4c5d6e7f80912",
 *   instance_id: null,
 *   resources: [{ type: ResourceType.name, resource_type_name: "heaobject.folder.Folder" }],
 * }, ComponentType, registry);
 * assert.equal(component.instance_id, "heaobject.registry.Component^6650f0c2a3b4c5d6e7f80912");
 * const [resource] = component.resources as HeaObject[];
 * assert.equal(resource?.resource_collection_type_display_name, "heaobject.folder.Folder");
 * ```
 */
export function completeObjectTree<T extends HeaObject>(
  object: T,
  type: ObjectType,
  registry: TypeRegistry,
): T {
  for (const [name, descriptor] of Object.entries(type.attributes)) {
    if (descriptor.kind !== "object" && descriptor.kind !== "objects") {
      continue;
    }
    const value = (object as HeaObject)[name];
    const members = Array.isArray(value) ? value : [value];
    for (const member of members) {
      if (typeof member !== "object" || member === null || Array.isArray(member)) {
        continue;
      }
      const memberType =
        registry.get(String((member as HeaObject).type ?? descriptor.memberType)) ??
          (descriptor.memberType ? registry.get(descriptor.memberType) : undefined);
      if (memberType) {
        completeObjectTree(member as HeaObject, memberType, registry);
      }
    }
  }

  return completeObject(object, type);
}

function parseMember(
  input: unknown,
  expected: ObjectType,
  options: ParseOptions,
  path: string,
  existingMember?: HeaObject,
): HeaObject {
  if (!isPlainRecord(input)) {
    throw new InvalidObjectError(
      path || "(body)",
      `expected a JSON object of type ${expected.name}, got ${describe(input)}`,
    );
  }

  const type = resolveType(input, expected, options.registry, path);
  const object: HeaObject = { type: type.name };
  // Nested objects of an update merge with the stored object at the same place, so a form that
  // shows some attributes of each list element keeps the others.
  const existing = path === "" ? options.existing : existingMember;

  for (const [name, descriptor] of Object.entries(type.attributes)) {
    const fieldPath = path ? `${path}.${name}` : name;
    const keepStored = descriptor.readOnly ||
      (path === "" && options.protectedAttributes?.has(name) === true);

    if (keepStored) {
      object[name] = existing && name in existing
        ? structuredClone(existing[name])
        : defaultValue(descriptor);
    } else if (Object.hasOwn(input, name) && input[name] !== undefined) {
      object[name] = convertValue(input[name], descriptor, options, fieldPath, existing?.[name]);
    } else if (existing && name in existing) {
      object[name] = structuredClone(existing[name]);
    } else {
      object[name] = defaultValue(descriptor);
    }
  }

  type.normalize?.(object, input);
  if (type.isDesktopObject && path === "" && !options.existing) {
    // The attribute is read-only, so new objects take the type's defaults whatever the input contains.
    object.super_admin_default_permissions = [...type.superAdminDefaultPermissions];
  }
  for (const key of Object.keys(input)) {
    if (UNSAFE_KEYS.has(key)) {
      throw new InvalidObjectError(
        path ? `${path}.${key}` : key,
        "is a reserved name; remove it from the input",
      );
    }
  }

  return completeObject(object, type);
}

function resolveType(
  input: Record<string, unknown>,
  expected: ObjectType,
  registry: TypeRegistry,
  path: string,
): ObjectType {
  const field = path ? `${path}.type` : "type";
  const name = input.type;

  if (name === undefined || name === null) {
    throw new InvalidObjectError(field, `is missing; set it to ${expected.name}`);
  }
  if (typeof name !== "string") {
    throw new InvalidObjectError(field, `must be a string such as ${expected.name}`);
  }

  const type = registry.get(name);
  if (!type) {
    throw new InvalidObjectError(field, `"${name}" is not a known type; expected ${expected.name}`);
  }
  if (!registry.isSubtype(name, expected.name)) {
    throw new InvalidObjectError(
      field,
      `"${name}" does not match this collection's type; expected ${expected.name}`,
    );
  }

  return type;
}

function convertValue(
  value: unknown,
  descriptor: Attribute,
  options: ParseOptions,
  path: string,
  existingValue?: unknown,
): unknown {
  if (value === null || (value === "" && descriptor.kind !== "string" && isNullable(descriptor))) {
    if (isNullable(descriptor)) {
      return null;
    }
    if (
      descriptor.kind === "strings" || descriptor.kind === "permissions" ||
      descriptor.kind === "objects"
    ) {
      return [];
    }
    throw new InvalidObjectError(path, "must not be null");
  }

  switch (descriptor.kind) {
    case "string":
      return convertString(value, descriptor, path);
    case "boolean":
      return convertBoolean(value, descriptor, path);
    case "number":
    case "integer":
      return convertNumber(value, descriptor, path);
    case "datetime":
      return convertDatetime(value, descriptor, path);
    case "strings":
      return toList(value).map((element, index) =>
        convertString(element, descriptor, `${path}[${index}]`)
      );
    case "permissions":
      return convertPermissions(value, path);
    case "object":
      return parseMember(
        value,
        memberTypeOf(descriptor, options, path),
        options,
        path,
        isPlainRecord(existingValue) ? existingValue as HeaObject : undefined,
      );
    case "objects":
      return toList(value).map((element, index) => {
        const stored = Array.isArray(existingValue) ? existingValue[index] : undefined;
        return parseMember(
          element,
          memberTypeOf(descriptor, options, path),
          options,
          `${path}[${index}]`,
          isPlainRecord(stored) ? stored as HeaObject : undefined,
        );
      });
    case "json":
      checkJsonKeys(value, path);
      return structuredClone(value);
  }
}

/**
 * Rejects keys that document stores reserve or cannot store: a leading `$` (MongoDB operators), a
 * `.` (paths into nested documents) and NUL.
 */
function checkJsonKeys(value: unknown, path: string): void {
  if (Array.isArray(value)) {
    value.forEach((element, index) => checkJsonKeys(element, `${path}[${index}]`));
    return;
  }
  if (typeof value !== "object" || value === null) {
    return;
  }
  for (const [key, member] of Object.entries(value)) {
    if (key.startsWith("$") || key.includes(".") || key.includes("\0")) {
      throw new InvalidObjectError(
        `${path}.${JSON.stringify(key)}`,
        "is not a valid key: keys must not start with $ or contain . or NUL",
      );
    }
    checkJsonKeys(member, `${path}.${key}`);
  }
}

function convertString(value: unknown, descriptor: Attribute, path: string): string {
  if (typeof value !== "string") {
    throw new InvalidObjectError(path, `must be a string, got ${describe(value, descriptor)}`);
  }
  if (descriptor.values && !descriptor.values.includes(value)) {
    throw new InvalidObjectError(path, `must be one of ${descriptor.values.join(", ")}`);
  }
  if (descriptor.nonBlank && value.trim() === "") {
    throw new InvalidObjectError(path, "must not be empty; give a value");
  }
  if (descriptor.format === "url" && !isWebUrl(value)) {
    throw new InvalidObjectError(
      path,
      "must be an absolute http or https URL such as https://hea.example.org/api",
    );
  }

  return value;
}

function isWebUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}

function convertBoolean(value: unknown, descriptor: Attribute, path: string): boolean {
  if (typeof value === "boolean") {
    return value;
  }
  if (value === "true" || value === "false") {
    return value === "true";
  }

  throw new InvalidObjectError(path, `must be true or false, got ${describe(value, descriptor)}`);
}

/**
 * A decimal number as JSON writes it. `Number()` alone also reads hexadecimal, binary and padded
 * strings, which a form field should not turn into numbers.
 */
const DECIMAL_NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;

function convertNumber(value: unknown, descriptor: Attribute, path: string): number {
  const number = typeof value === "string" && DECIMAL_NUMBER.test(value) ? Number(value) : value;
  if (typeof number !== "number" || !Number.isFinite(number)) {
    throw new InvalidObjectError(
      path,
      `must be a finite number, got ${describe(value, descriptor)}`,
    );
  }
  if (descriptor.kind === "integer" && !Number.isInteger(number)) {
    throw new InvalidObjectError(path, `must be an integer, got ${describe(number, descriptor)}`);
  }

  return number;
}

/**
 * ISO 8601 dates and times as RFC 3339 profiles them: a date, or a date and time with optional
 * seconds, fraction and offset. `Date.parse` alone also takes other forms and rolls invalid days
 * over (February 30 becomes March 1), so input must match this first.
 */
const ISO_DATETIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?([Zz]|[+-]\d{2}:?\d{2})?)?$/;

function convertDatetime(value: unknown, descriptor: Attribute, path: string): string {
  const match = typeof value === "string" ? ISO_DATETIME.exec(value) : null;
  const time = match ? parseIsoDatetime(value as string, match) : Number.NaN;
  if (Number.isNaN(time)) {
    throw new InvalidObjectError(
      path,
      `must be an ISO 8601 date and time such as 2024-01-31T12:00:00Z, got ${
        describe(value, descriptor)
      }`,
    );
  }

  return new Date(time).toISOString();
}

/** Returns the time of a matched ISO 8601 string, or NaN for a day or time that does not exist. */
function parseIsoDatetime(text: string, match: RegExpExecArray): number {
  const [, year, month, day, hour = "00", minute = "00", second = "00", offset] = match;
  const calendar = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  const validDate = calendar.getUTCFullYear() === Number(year) &&
    calendar.getUTCMonth() === Number(month) - 1 && calendar.getUTCDate() === Number(day);
  if (!validDate || Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) {
    return Number.NaN;
  }

  // HEA stores times in UTC, so a time without an offset is read as UTC on every server.
  const normalized = text.replace(" ", "T");
  return Date.parse(offset === undefined && match[4] !== undefined ? `${normalized}Z` : normalized);
}

function convertPermissions(value: unknown, path: string): Permission[] {
  const permissions = toList(value).map((element, index) => {
    if (!isPermission(element)) {
      throw new InvalidObjectError(
        `${path}[${index}]`,
        `must be one of VIEWER, EDITOR, SHARER, COOWNER, CREATOR, DELETER, got ${
          describe(element)
        }`,
      );
    }
    return element;
  });

  return sortPermissions(permissions);
}

function memberTypeOf(descriptor: Attribute, options: ParseOptions, path: string): ObjectType {
  const memberType = descriptor.memberType
    ? options.registry.get(descriptor.memberType)
    : undefined;
  if (!memberType) {
    throw new TypeError(
      `Attribute ${path} refers to type "${descriptor.memberType}", which is not registered`,
    );
  }

  return memberType;
}

/** Form and single-value input carry one element where a list is expected: accept both. */
function toList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [value];
}

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Describes a value for an error message; for a `secret` attribute only its kind, never the value. */
function describe(value: unknown, descriptor?: Attribute): string {
  if (value === null) {
    return "null";
  }
  if (Array.isArray(value)) {
    return "a list";
  }
  if (descriptor?.secret) {
    return typeof value === "object"
      ? "an object"
      : `a ${typeof value} (not shown, because the attribute is secret)`;
  }
  if (typeof value === "string") {
    return value.length > 40 ? `a string of ${value.length} characters` : JSON.stringify(value);
  }
  if (typeof value === "object") {
    return "an object";
  }

  return `${typeof value} ${String(value)}`;
}
