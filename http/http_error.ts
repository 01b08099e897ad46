/**
 * The one HTTP error type: handlers throw it, and the router turns it into a response.
 *
 * @module
 */

/**
 * An error that carries the HTTP status to respond with, a message for the client, and extra
 * response headers (`Allow`, `Retry-After`...). Throw it from a handler, and the router responds with
 * {@linkcode errorResponse}.
 *
 * @example Reject a request
 * ```ts
 * import { HttpError } from "@hea/server/http";
 * import assert from "node:assert/strict";
 *
 * const error = new HttpError(404, "Component 6650f0c2a3b4c5d6e7f80912 not found");
 * assert.equal(error.status, 404);
 * assert.equal(error.toResponse().status, 404);
 * assert.equal(await error.toResponse().text(), "Component 6650f0c2a3b4c5d6e7f80912 not found");
 * ```
 */
export class HttpError extends Error {
  /** The status code, from 400 to 599. */
  readonly status: number;
  /** Headers to add to the response. */
  readonly headers: Readonly<Record<string, string>>;

  /**
   * Creates an error with a status, a message for the client and optional response headers.
   *
   * @throws {RangeError} for a status outside 400–599.
   */
  constructor(
    status: number,
    message: string,
    options: { headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    if (!Number.isInteger(status) || status < 400 || status > 599) {
      throw new RangeError(`HTTP error status must be from 400 to 599, got ${status}`);
    }
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "HttpError";
    this.status = status;
    this.headers = Object.freeze({ ...options.headers });
  }

  /** Returns the error as a plain-text response. */
  toResponse(): Response {
    return new Response(this.message, {
      status: this.status,
      headers: { "content-type": "text/plain; charset=utf-8", ...this.headers },
    });
  }
}
