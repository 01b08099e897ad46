/**
 * Object ids as HEA's stores issue them.
 *
 * @module
 */

const OBJECT_ID_PATTERN = /^[0-9a-f]{24}$/;

/**
 * Returns whether a string is an id that a store could have issued: 24 lowercase hexadecimal
 * digits, the text form of a MongoDB ObjectId. Anything else is "not found" without a query.
 *
 * @example
 * ```ts
 * import { isObjectId } from "@hea/server/db";
 * import assert from "node:assert/strict";
 *
 * assert.equal(isObjectId("6650f0c2a3b4c5d6e7f80912"), true);
 * assert.equal(isObjectId("not-an-id"), false);
 * ```
 */
export function isObjectId(id: string): boolean {
  return OBJECT_ID_PATTERN.test(id);
}
