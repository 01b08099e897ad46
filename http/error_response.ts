/**
 * The one place where errors become responses.
 *
 * @module
 */

import { getLogger } from "@logtape/logtape";
import { DatabaseUnavailableError, DuplicateNameError, InvalidQueryError } from "../db/mod.ts";
import { InvalidObjectError } from "../objects/mod.ts";
import { BodyTooLargeError } from "../representors/mod.ts";
import { HttpError } from "./http_error.ts";
import { errorResponseOf, internalServerError, serviceUnavailable } from "./responses.ts";

const logger = getLogger(["hea", "http"]);

/**
 * Turns an error thrown while handling a request into a response: an {@linkcode HttpError} into its
 * own status, invalid input or a query built from it into 400, an oversized body into 413, a taken name into 409, an
 * unreachable database into 503 with `Retry-After`, and anything else into a 500 that the server
 * logs with the request id. Client mistakes are logged at debug level only.
 *
 * @example
 * ```ts
 * import { errorResponse } from "@hea/server/http";
 * import { InvalidObjectError } from "@hea/server/objects";
 * import assert from "node:assert/strict";
 *
 * const response = errorResponse(new InvalidObjectError("type", "is missing"), "r1");
 * assert.equal(response.status, 400);
 * assert.equal(errorResponse(new Error("boom"), "r2").status, 500);
 * ```
 */
export function errorResponse(error: unknown, requestId: string): Response {
  const response = knownErrorResponse(error);
  if (response) {
    if (response.status >= 500) {
      logger.error("Request {requestId} failed with {status}: {error}", {
        requestId,
        status: response.status,
        error,
      });
    } else {
      logger.debug("Request {requestId} rejected with {status}: {message}", {
        requestId,
        status: response.status,
        message: error instanceof Error ? error.message : String(error),
      });
    }
    return response;
  }

  logger.error("Request {requestId} failed: {error}", { requestId, error });
  return internalServerError(requestId);
}

function knownErrorResponse(error: unknown): Response | undefined {
  if (error instanceof HttpError) {
    return error.toResponse();
  }
  if (error instanceof InvalidObjectError || error instanceof InvalidQueryError) {
    return errorResponseOf(400, error.message);
  }
  if (error instanceof BodyTooLargeError) {
    return errorResponseOf(413, error.message);
  }
  if (error instanceof DuplicateNameError) {
    return errorResponseOf(409, error.message);
  }
  if (error instanceof DatabaseUnavailableError) {
    return serviceUnavailable(
      error.retryAfterSeconds,
      "The database is unavailable; retry after the time in Retry-After",
    );
  }

  return undefined;
}
