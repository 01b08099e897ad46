/**
 * Conversions between the Database API and MongoDB documents: `id` strings to `_id` ObjectIds in
 * documents, filters and sorts, stored BSON values back to JSON, and the relaxed form of
 * `$elemMatch` queries for servers that lack document `$elemMatch`.
 *
 * @module
 */

import { type Document, ObjectId } from "mongodb";
import type { DesktopObject } from "../objects/mod.ts";
import type { Filter, SortKey } from "./database.ts";
import { isObjectId } from "./object_id.ts";

/** Operators whose operand is one value compared with the field. */
const VALUE_OPERATORS: ReadonlySet<string> = new Set(["$eq", "$ne", "$gt", "$gte", "$lt", "$lte"]);

/** Operators whose operand is a list of values compared with the field. */
const LIST_OPERATORS: ReadonlySet<string> = new Set(["$in", "$nin", "$all"]);

/** Logical operators whose operand is a list of whole-document filters. */
const LOGICAL_OPERATORS: ReadonlySet<string> = new Set(["$and", "$or", "$nor"]);

/**
 * Converts a filter on desktop objects into a filter on stored documents: every `id` key at the
 * document level, including inside `$and`, `$or` and `$nor`, becomes `_id`, and every id string in
 * its condition becomes an ObjectId. Strings that are not valid ids stay strings, so they match no
 * stored ObjectId and the object is "not found". Keys inside field conditions, such as an `id` in an
 * `$elemMatch` on nested objects, are left alone because they name attributes of nested objects.
 */
export function toStoredFilter(filter: Filter): Filter {
  const conditions: Filter[] = [];
  const result: Filter = {};

  for (const [key, value] of Object.entries(filter)) {
    if (LOGICAL_OPERATORS.has(key) && Array.isArray(value)) {
      result[key] = value.map((branch) => isPlainObject(branch) ? toStoredFilter(branch) : branch);
    } else if (key === "id" || key === "_id") {
      conditions.push({ _id: toStoredIdCondition(value) });
    } else {
      result[key] = value;
    }
  }

  // A filter that names both `id` and `_id` needs both conditions, which one key cannot carry.
  if (conditions.length === 1) {
    Object.assign(result, conditions[0]);
  } else if (conditions.length > 1) {
    const existing = Array.isArray(result.$and) ? result.$and : [];
    result.$and = [...existing, ...conditions];
  }

  return result;
}

function toStoredIdCondition(condition: unknown): unknown {
  if (!isPlainObject(condition) || !Object.keys(condition).some((key) => key.startsWith("$"))) {
    return toStoredId(condition);
  }

  const result: Record<string, unknown> = {};
  for (const [operator, operand] of Object.entries(condition)) {
    if (VALUE_OPERATORS.has(operator)) {
      result[operator] = toStoredId(operand);
    } else if (LIST_OPERATORS.has(operator) && Array.isArray(operand)) {
      result[operator] = operand.map(toStoredId);
    } else if (operator === "$not") {
      result[operator] = toStoredIdCondition(operand);
    } else {
      result[operator] = operand;
    }
  }

  return result;
}

function toStoredId(value: unknown): unknown {
  return typeof value === "string" && isObjectId(value) ? new ObjectId(value) : value;
}

/**
 * Converts sort keys into a MongoDB sort. `id` sorts on `_id`, and a repeated attribute keeps its
 * first direction. `_id` ascending is appended unless a key already sorts on it, so that objects
 * with equal keys come back in the same order on every page.
 */
export function toStoredSort(sort: readonly SortKey[]): [string, 1 | -1][] {
  const seen = new Set<string>();
  const result: [string, 1 | -1][] = [];

  for (const key of sort) {
    const field = key.attribute === "id" ? "_id" : key.attribute;
    if (!seen.has(field)) {
      seen.add(field);
      result.push([field, key.order]);
    }
  }
  if (!seen.has("_id")) {
    result.push(["_id", 1]);
  }

  return result;
}

/** Converts a desktop object into the document to store: its `id` becomes the `_id` ObjectId. */
export function toStoredDocument(object: DesktopObject, id: ObjectId): Document {
  const { id: _ignored, ...attributes } = object;

  return { _id: id, ...attributes };
}

/**
 * Converts a stored document into a desktop object. `_id` becomes the `id` string, replacing any
 * stored `id`. BSON values without a JSON form are converted wherever they occur: dates, which
 * Python services store for `created` and `modified`, become UTC ISO 8601 strings, and ObjectIds
 * become their hexadecimal strings.
 */
export function fromStoredDocument(document: Document): DesktopObject {
  const { _id: storedId, id: _ignored, ...attributes } = document;
  const object = toJsonValues(attributes) as Record<string, unknown>;

  return { id: storedIdToString(storedId), ...object } as DesktopObject;
}

function storedIdToString(id: unknown): string | null {
  if (id instanceof ObjectId) {
    return id.toHexString();
  }

  return id === undefined || id === null ? null : String(id);
}

function toJsonValues(value: unknown): unknown {
  if (value instanceof Date) {
    return value.toISOString();
  }
  if (value instanceof ObjectId) {
    return value.toHexString();
  }
  if (Array.isArray(value)) {
    return value.map(toJsonValues);
  }
  if (isPlainObject(value)) {
    const result: Record<string, unknown> = {};
    for (const [key, member] of Object.entries(value)) {
      result[key] = toJsonValues(member);
    }
    return result;
  }

  return value;
}

/**
 * Rewrites every document-form `$elemMatch` of a filter (one with field conditions, `$or` or
 * `$and` inside) into conditions on dotted paths, for FerretDB v1, which supports only the
 * operator form such as `{ $elemMatch: { $in: [...] } }`. The result matches every document that the
 * original matches and possibly more, because the conditions may be met by different elements, so
 * callers must check each result in code. Branches under `$nor` are left alone, because relaxing them
 * would exclude too much instead of too little.
 */
export function relaxElemMatch(filter: Filter): Filter {
  const parts: Filter[] = [];
  const result: Filter = {};

  for (const [key, value] of Object.entries(filter)) {
    if ((key === "$and" || key === "$or") && Array.isArray(value)) {
      result[key] = value.map((branch) => isPlainObject(branch) ? relaxElemMatch(branch) : branch);
    } else if (
      !key.startsWith("$") && isPlainObject(value) && isDocumentElemMatch(value.$elemMatch)
    ) {
      const { $elemMatch: query, ...otherOperators } = value;
      parts.push(relaxedElemMatch(key, query as Record<string, unknown>));
      if (Object.keys(otherOperators).length > 0) {
        parts.push({ [key]: otherOperators });
      }
    } else {
      result[key] = value;
    }
  }

  if (parts.length === 0) {
    return result;
  }

  return { $and: [...(Object.keys(result).length > 0 ? [result] : []), ...parts] };
}

function relaxedElemMatch(path: string, query: Record<string, unknown>): Filter {
  const parts: Filter[] = [];

  for (const [key, value] of Object.entries(query)) {
    if ((key === "$or" || key === "$and") && Array.isArray(value)) {
      parts.push({
        [key]: value.map((branch) =>
          isPlainObject(branch) ? relaxedElemMatch(path, branch) : branch
        ),
      });
    } else if (key.startsWith("$")) {
      parts.push({ [path]: { $elemMatch: { [key]: value } } });
    } else {
      parts.push(relaxElemMatch({ [`${path}.${key}`]: value }));
    }
  }

  return parts.length === 1 ? parts[0] as Filter : { $and: parts };
}

function isDocumentElemMatch(query: unknown): query is Record<string, unknown> {
  if (!isPlainObject(query)) {
    return false;
  }

  return Object.keys(query).some((key) => !key.startsWith("$") || LOGICAL_OPERATORS.has(key));
}

/** Returns whether a value is a plain object: not an array, a date, an ObjectId or another class. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return false;
  }
  const prototype = Object.getPrototypeOf(value);

  return prototype === Object.prototype || prototype === null;
}
