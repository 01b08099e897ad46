/**
 * Checks on filters built from request data, so that a client cannot smuggle MongoDB operators or
 * unexpected paths into a query.
 *
 * @module
 */

import type { Filter, SortKey } from "./database.ts";

/** Keys that would reach an object's prototype in code that evaluates filters, such as mingo. */
const PROTOTYPE_KEYS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

/** Options of {@linkcode assertSafeFilter}, besides the filter. */
export interface SafeFilterOptions {
  /**
   * Whether keys may be dotted paths to nested attributes, such as `resources.base_path`. Off by
   * default: a request's filter then names top-level attributes only.
   */
  readonly allowNestedPaths?: boolean;
}

/**
 * Raised when a filter built from request data contains a MongoDB operator, an unexpected path or a
 * value that is not plain JSON data. `path` locates the offending key or value. The HTTP layer
 * turns it into a 400 response.
 *
 * @example
 * ```ts
 * import { InvalidQueryError } from "@hea/server/db";
 * import assert from "node:assert/strict";
 *
 * const error = new InvalidQueryError("name.$ne", "is an operator; filters from requests take plain values");
 * assert.equal(error.path, "name.$ne");
 * assert.match(error.message, /Invalid query name\.\$ne/);
 * ```
 */
export class InvalidQueryError extends Error {
  /** The key or value path that is invalid, such as `name` or `tags[1]`. */
  readonly path: string;

  /** Creates the error for `path`, with a message that ends with `problem`. */
  constructor(path: string, problem: string) {
    super(`Invalid query ${path}: ${problem}`);
    this.name = "InvalidQueryError";
    this.path = path;
  }
}

/**
 * Checks a filter built from request data before it reaches a store. Keys must be attribute names
 * (dotted paths only with `allowNestedPaths`), with no segment that is empty, starts with `$` or is
 * a prototype key. Values must be strings, finite numbers, booleans, `null`, or lists and objects
 * of those whose keys obey the same rules, so no operator such as `$ne`, `$where` or `$regex` can
 * appear at any depth. The Database API itself accepts operators: this check is for untrusted input
 * only.
 *
 * @throws {InvalidQueryError} naming the first offending key or value.
 *
 * @example Accept a plain filter and reject an operator from a request
 * ```ts
 * import { assertSafeFilter, InvalidQueryError } from "@hea/server/db";
 * import assert from "node:assert/strict";
 *
 * assertSafeFilter({ name: "heaserver-folders", display_in_system_menu: true });
 * assert.throws(() => assertSafeFilter({ name: { $ne: "" } }), InvalidQueryError);
 * assert.throws(() => assertSafeFilter({ "owner.x": "a" }), InvalidQueryError);
 * assertSafeFilter({ "resources.base_path": "folders" }, { allowNestedPaths: true });
 * ```
 */
export function assertSafeFilter(filter: Filter, options: SafeFilterOptions = {}): void {
  if (!isRecord(filter)) {
    throw new InvalidQueryError("(filter)", "must be an object of attribute names and values");
  }

  for (const [key, value] of Object.entries(filter)) {
    checkAttributeKey(key, key, options.allowNestedPaths === true);
    checkValue(value, key);
  }
}

/**
 * Checks sort keys, which the HTTP layer builds from request parameters. Each attribute must be an
 * attribute name or a dotted path with no empty segment, no segment that starts with `$` and no
 * prototype key. Each order must be `1` or `-1`. Stores call it too, so that a bad key fails before
 * any query.
 *
 * @throws {InvalidQueryError} naming the first offending sort key.
 *
 * @example
 * ```ts
 * import { assertSafeSort, InvalidQueryError } from "@hea/server/db";
 * import assert from "node:assert/strict";
 *
 * assertSafeSort([{ attribute: "display_name", order: 1 }, { attribute: "id", order: -1 }]);
 * assert.throws(() => assertSafeSort([{ attribute: "$natural", order: 1 }]), InvalidQueryError);
 * ```
 */
export function assertSafeSort(sort: readonly SortKey[]): void {
  sort.forEach((key, index) => {
    const path = `sort[${index}]`;
    if (typeof key.attribute !== "string" || key.attribute === "") {
      throw new InvalidQueryError(path, "needs an attribute name");
    }
    for (const segment of key.attribute.split(".")) {
      checkSegment(segment, `${path} ${key.attribute}`);
    }
    if (key.order !== 1 && key.order !== -1) {
      throw new InvalidQueryError(path, `has order ${String(key.order)}; use 1 or -1`);
    }
  });
}

function checkAttributeKey(key: string, path: string, allowNestedPaths: boolean): void {
  if (key.startsWith("$")) {
    throw new InvalidQueryError(path, "is an operator; filters from requests take attribute names");
  }
  if (key.includes(".") && !allowNestedPaths) {
    throw new InvalidQueryError(path, "is a dotted path; name a top-level attribute");
  }

  for (const segment of key.split(".")) {
    checkSegment(segment, path);
  }
}

function checkSegment(segment: string, path: string): void {
  if (segment === "") {
    throw new InvalidQueryError(path, "has an empty attribute name; remove the extra dot");
  }
  if (segment.startsWith("$")) {
    throw new InvalidQueryError(path, `contains the operator ${segment}; name attributes only`);
  }
  if (PROTOTYPE_KEYS.has(segment)) {
    throw new InvalidQueryError(path, `contains the reserved name ${segment}`);
  }
  if (segment.includes("\0")) {
    throw new InvalidQueryError(path, "contains a NUL character");
  }
}

function checkValue(value: unknown, path: string): void {
  if (value === null || typeof value === "string" || typeof value === "boolean") {
    return;
  }
  if (typeof value === "number") {
    if (!Number.isFinite(value)) {
      throw new InvalidQueryError(path, `must be a finite number, got ${value}`);
    }
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((element, index) => checkValue(element, `${path}[${index}]`));
    return;
  }
  if (isRecord(value)) {
    for (const [key, member] of Object.entries(value)) {
      const memberPath = `${path}.${key}`;
      if (key.startsWith("$")) {
        throw new InvalidQueryError(
          memberPath,
          "is an operator; filters from requests take plain values",
        );
      }
      if (key.includes(".")) {
        throw new InvalidQueryError(memberPath, "is a dotted key inside a value; remove the dot");
      }
      checkSegment(key, memberPath);
      checkValue(member, memberPath);
    }
    return;
  }

  throw new InvalidQueryError(path, `must be plain JSON data, got ${describe(value)}`);
}

/** Returns whether a value is a plain object, as `JSON.parse` makes them. */
function isRecord(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return false;
  }
  const prototype = Object.getPrototypeOf(value);

  return prototype === Object.prototype || prototype === null;
}

function describe(value: unknown): string {
  if (value instanceof RegExp) {
    return "a regular expression";
  }
  if (typeof value === "object" && value !== null) {
    return `an instance of ${value.constructor?.name ?? "an unknown class"}`;
  }

  return typeof value;
}
