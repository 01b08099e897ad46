/**
 * The error raised when an object changed between reading it and updating it.
 *
 * @module
 */

/**
 * Raised by a store's `update` when the stored object no longer has the `modified` value that the
 * caller read, because another request changed it in between. The PUT handler then reads the
 * object again and retries; the client gets a 409 only when retries keep conflicting.
 *
 * @example
 * ```ts
 * import { UpdateConflictError } from "@hea/server/db";
 * import assert from "node:assert/strict";
 *
 * const error = new UpdateConflictError("properties", "6650f0c2a3b4c5d6e7f80912");
 * assert.match(error.message, /changed/);
 * ```
 */
export class UpdateConflictError extends Error {
  /** The collection of the object. */
  readonly collection: string;
  /** The object's id. */
  readonly id: string;

  /** Creates the error for object `id` of `collection`. */
  constructor(collection: string, id: string) {
    super(`Object ${id} in ${collection} changed while it was being updated; retry the request`);
    this.name = "UpdateConflictError";
    this.collection = collection;
    this.id = id;
  }
}

/**
 * Returns the `modified` time for a write: now, or one millisecond after the current value when
 * the clock has not moved past it, so that every write changes `modified` and a compare-and-set
 * on it cannot miss an update made in the same millisecond.
 *
 * @example
 * ```ts
 * import { nextModified } from "@hea/server/db";
 * import assert from "node:assert/strict";
 *
 * assert.equal(nextModified("9999-01-01T00:00:00.000Z"), "9999-01-01T00:00:00.001Z");
 * ```
 */
export function nextModified(current: string | null | undefined): string {
  const now = Date.now();
  const previous = current ? Date.parse(current) : Number.NaN;

  return new Date(Number.isNaN(previous) || previous < now ? now : previous + 1).toISOString();
}
