/**
 * The error raised when a store cannot reach its database server.
 *
 * @module
 */

/**
 * Raised by a store when its database server cannot be reached. The HTTP layer responds with 503 and
 * `Retry-After`, and the store reconnects by itself when the server returns.
 *
 * @example
 * ```ts
 * import { DatabaseUnavailableError } from "@hea/server/db";
 * import assert from "node:assert/strict";
 *
 * const error = new DatabaseUnavailableError("MongoDB did not answer within 3 s", 5);
 * assert.equal(error.retryAfterSeconds, 5);
 * ```
 */
export class DatabaseUnavailableError extends Error {
  /** How long clients should wait before retrying, in seconds. */
  readonly retryAfterSeconds: number;

  /** Creates the error with a message and the wait to advise clients. */
  constructor(message: string, retryAfterSeconds = 5, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "DatabaseUnavailableError";
    this.retryAfterSeconds = retryAfterSeconds;
  }
}
