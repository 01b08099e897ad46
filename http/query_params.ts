/**
 * Parsing of HEA's query parameters for listings: `sort`/`sort_attr` and `begin`/`end`.
 *
 * @module
 */

import type { SortKey } from "../db/mod.ts";
import { HttpError } from "./http_error.ts";

/** The attribute that `sort` applies to when the request names none. */
export const DEFAULT_SORT_ATTRIBUTE = "display_name";

const ATTRIBUTE_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;
const MAX_ATTRIBUTE_LENGTH = 128;
const MAX_SORT_KEYS = 8;
/**
 * Path segments that name an object's prototype. Stores reject them (MongoDatabase with an error
 * that is not a 400), so a sort key with one is a 400 before it reaches a store.
 */
const RESERVED_SEGMENTS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

/**
 * Reads the sort keys of a listing: each `sort` (`asc` or `desc`, any case) pairs with the
 * `sort_attr` at the same position. A lone `sort` applies to `display_name`; `sort_attr` values
 * without `sort` sort ascending.
 *
 * @throws {HttpError} with status 400 for an invalid direction or attribute name, or when both are
 * given in different numbers.
 *
 * @example
 * ```ts
 * import { parseSort } from "@hea/server/http";
 * import assert from "node:assert/strict";
 *
 * const params = new URLSearchParams("sort=desc&sort_attr=name");
 * assert.deepEqual(parseSort(params), [{ attribute: "name", order: -1 }]);
 * assert.deepEqual(parseSort(new URLSearchParams("sort=asc")), [{ attribute: "display_name", order: 1 }]);
 * assert.throws(() => parseSort(new URLSearchParams("sort=up")), /sort/);
 * ```
 */
export function parseSort(params: URLSearchParams): SortKey[] {
  const orders = params.getAll("sort").map(parseOrder);
  const attributes = params.getAll("sort_attr").map(parseAttribute);

  if (orders.length > MAX_SORT_KEYS || attributes.length > MAX_SORT_KEYS) {
    throw new HttpError(400, `Invalid query: at most ${MAX_SORT_KEYS} sort keys are allowed`);
  }
  if (attributes.length === 0) {
    if (orders.length > 1) {
      throw new HttpError(
        400,
        "Invalid query parameter sort: several values need a sort_attr for each",
      );
    }
    return orders.map((order) => ({ attribute: DEFAULT_SORT_ATTRIBUTE, order }));
  }
  if (orders.length === 0) {
    return attributes.map((attribute) => ({ attribute, order: 1 }));
  }
  if (orders.length !== attributes.length) {
    throw new HttpError(
      400,
      `Invalid query: ${orders.length} sort and ${attributes.length} sort_attr values; give one sort per sort_attr`,
    );
  }

  return attributes.map((attribute, index) => ({ attribute, order: orders[index] as 1 | -1 }));
}

/** A page of a listing: the index of its first object and the index after its last one. */
export interface Page {
  /** The index of the first object, from 0. */
  readonly begin: number;
  /** The index after the last object, or `undefined` for no limit. */
  readonly end?: number;
}

/**
 * Reads `begin` (inclusive, default 0) and `end` (exclusive, default none) of a listing.
 *
 * @throws {HttpError} with status 400 when either is not a non-negative integer or `end` is less
 * than `begin`.
 *
 * @example
 * ```ts
 * import { parsePage } from "@hea/server/http";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(parsePage(new URLSearchParams("begin=10&end=20")), { begin: 10, end: 20 });
 * assert.deepEqual(parsePage(new URLSearchParams("")), { begin: 0 });
 * assert.throws(() => parsePage(new URLSearchParams("begin=-1")), /begin/);
 * ```
 */
export function parsePage(params: URLSearchParams): Page {
  const begin = parseIndex(params, "begin") ?? 0;
  const end = parseIndex(params, "end");
  if (end !== undefined && end < begin) {
    throw new HttpError(
      400,
      `Invalid query parameter end: ${end} is less than begin ${begin}; use end >= begin`,
    );
  }

  return end === undefined ? { begin } : { begin, end };
}

function parseOrder(value: string): 1 | -1 {
  const normalized = value.trim().toLowerCase();
  if (normalized === "asc") {
    return 1;
  }
  if (normalized === "desc") {
    return -1;
  }

  throw new HttpError(400, `Invalid query parameter sort: ${quote(value)}; use asc or desc`);
}

function parseAttribute(value: string): string {
  if (
    value.length > MAX_ATTRIBUTE_LENGTH || !ATTRIBUTE_PATTERN.test(value) ||
    value.split(".").some((segment) => RESERVED_SEGMENTS.has(segment))
  ) {
    throw new HttpError(
      400,
      `Invalid query parameter sort_attr: ${
        quote(value)
      }; use an attribute name such as display_name`,
    );
  }

  return value;
}

function parseIndex(params: URLSearchParams, name: string): number | undefined {
  const values = params.getAll(name);
  if (values.length === 0) {
    return undefined;
  }
  if (values.length > 1) {
    throw new HttpError(400, `Invalid query parameter ${name}: give it once`);
  }

  const value = values[0] as string;
  if (!/^\d{1,15}$/.test(value)) {
    throw new HttpError(
      400,
      `Invalid query parameter ${name}: ${quote(value)}; use a non-negative integer`,
    );
  }

  return Number(value);
}

function quote(value: string): string {
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value);
}
