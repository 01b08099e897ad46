/**
 * The error raised when a unique name is already taken.
 *
 * @module
 */

/**
 * Raised by a store when an object's name is already taken in a collection that requires unique
 * names. The HTTP layer turns it into a 409 response.
 *
 * @example
 * ```ts
 * import { DuplicateNameError } from "@hea/server/db";
 * import assert from "node:assert/strict";
 *
 * const error = new DuplicateNameError("components", "heaserver-folders");
 * assert.match(error.message, /already exists/);
 * ```
 */
export class DuplicateNameError extends Error {
  /** The collection of the other object. */
  readonly collection: string;
  /** The name that is taken. */
  readonly objectName: string;

  /** Creates the error for `name` in `collection`. */
  constructor(collection: string, name: string) {
    super(`An object named "${name}" already exists in ${collection}; choose another name`);
    this.name = "DuplicateNameError";
    this.collection = collection;
    this.objectName = name;
  }
}
