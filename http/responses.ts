/**
 * Response helpers for the statuses of HEA services.
 *
 * @module
 */

const TEXT = "text/plain; charset=utf-8";

/**
 * Headers that stop clients and proxies from caching a response, sent with every GET of desktop
 * objects because permissions may change at any time.
 *
 * @example
 * ```ts
 * import { NO_CACHE_HEADERS } from "@hea/server/http";
 * import assert from "node:assert/strict";
 *
 * assert.equal(NO_CACHE_HEADERS["cache-control"], "no-cache, no-store, must-revalidate");
 * ```
 */
export const NO_CACHE_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  "cache-control": "no-cache, no-store, must-revalidate",
  pragma: "no-cache",
  expires: "0",
});

/**
 * Returns 200 OK with a body. A string body without a content type is sent as plain text.
 *
 * @example
 * ```ts
 * import { ok } from "@hea/server/http";
 * import assert from "node:assert/strict";
 *
 * const response = ok("pong");
 * assert.equal(response.status, 200);
 * assert.equal(response.headers.get("content-type"), "text/plain; charset=utf-8");
 * ```
 */
export function ok(body: BodyInit | null, contentType?: string, headers?: HeadersInit): Response {
  const result = new Headers(headers);
  if (contentType) {
    result.set("content-type", contentType);
  } else if (typeof body === "string" && !result.has("content-type")) {
    result.set("content-type", TEXT);
  }

  return new Response(body, { status: 200, headers: result });
}

/**
 * Returns 201 Created with `Location` set to the new object's URL and HEA's body `201: Created`.
 *
 * @example
 * ```ts
 * import { created } from "@hea/server/http";
 * import assert from "node:assert/strict";
 *
 * const response = created("http://localhost:8080/components/6650f0c2a3b4c5d6e7f80912");
 * assert.equal(response.status, 201);
 * assert.equal(await response.text(), "201: Created");
 * ```
 */
export function created(location: string): Response {
  return new Response("201: Created", {
    status: 201,
    headers: { location, "content-type": TEXT },
  });
}

/**
 * Returns 204 No Content.
 *
 * @example
 * ```ts
 * import { noContent } from "@hea/server/http";
 * import assert from "node:assert/strict";
 *
 * assert.equal(noContent().status, 204);
 * ```
 */
export function noContent(): Response {
  return new Response(null, { status: 204 });
}

/**
 * Returns 300 Multiple Choices with the choices as a body and `Location` set to the default choice,
 * or to `#` when there is none.
 *
 * @example
 * ```ts
 * import { multipleChoices } from "@hea/server/http";
 * import assert from "node:assert/strict";
 *
 * const response = multipleChoices(undefined, "[]", "application/json");
 * assert.equal(response.status, 300);
 * assert.equal(response.headers.get("location"), "#");
 * ```
 */
export function multipleChoices(
  location: string | undefined,
  body: BodyInit | null,
  contentType: string,
): Response {
  return new Response(body, {
    status: 300,
    headers: { location: location ?? "#", "content-type": contentType, ...NO_CACHE_HEADERS },
  });
}

/**
 * Returns a plain-text error response. Prefer throwing an {@linkcode HttpError} from handlers; this
 * is for code that builds responses directly.
 *
 * @example
 * ```ts
 * import { errorResponseOf } from "@hea/server/http";
 * import assert from "node:assert/strict";
 *
 * const response = errorResponseOf(409, "An object named x already exists");
 * assert.equal(response.status, 409);
 * ```
 */
export function errorResponseOf(
  status: number,
  message: string,
  headers: Record<string, string> = {},
): Response {
  return new Response(message, { status, headers: { "content-type": TEXT, ...headers } });
}

/**
 * Returns 400 Bad Request.
 *
 * @example
 * ```ts
 * import { badRequest } from "@hea/server/http";
 * import assert from "node:assert/strict";
 *
 * assert.equal(badRequest("Invalid field type").status, 400);
 * ```
 */
export function badRequest(message: string): Response {
  return errorResponseOf(400, message);
}

/**
 * Returns 403 Forbidden.
 *
 * @example
 * ```ts
 * import { forbidden } from "@hea/server/http";
 * import assert from "node:assert/strict";
 *
 * assert.equal(forbidden("Access denied").status, 403);
 * ```
 */
export function forbidden(message: string): Response {
  return errorResponseOf(403, message);
}

/**
 * Returns 404 Not Found.
 *
 * @example
 * ```ts
 * import { notFound } from "@hea/server/http";
 * import assert from "node:assert/strict";
 *
 * assert.equal(notFound("Not found").status, 404);
 * ```
 */
export function notFound(message: string): Response {
  return errorResponseOf(404, message);
}

/**
 * Returns 405 Method Not Allowed with the allowed methods in `Allow`.
 *
 * @example
 * ```ts
 * import { methodNotAllowed } from "@hea/server/http";
 * import assert from "node:assert/strict";
 *
 * assert.equal(methodNotAllowed(["GET", "PUT"]).headers.get("allow"), "GET, PUT");
 * ```
 */
export function methodNotAllowed(allowed: readonly string[]): Response {
  return errorResponseOf(405, `Method not allowed; use ${allowed.join(", ")}`, {
    allow: allowed.join(", "),
  });
}

/**
 * Returns 406 Not Acceptable, naming the media types the server can send.
 *
 * @example
 * ```ts
 * import { notAcceptable } from "@hea/server/http";
 * import assert from "node:assert/strict";
 *
 * assert.equal(notAcceptable(["application/json"]).status, 406);
 * ```
 */
export function notAcceptable(available: readonly string[]): Response {
  return errorResponseOf(
    406,
    `None of the media types in Accept is available; accept one of ${available.join(", ")}`,
  );
}

/**
 * Returns 409 Conflict.
 *
 * @example
 * ```ts
 * import { conflict } from "@hea/server/http";
 * import assert from "node:assert/strict";
 *
 * assert.equal(conflict("Name taken").status, 409);
 * ```
 */
export function conflict(message: string): Response {
  return errorResponseOf(409, message);
}

/**
 * Returns 413 Content Too Large.
 *
 * @example
 * ```ts
 * import { contentTooLarge } from "@hea/server/http";
 * import assert from "node:assert/strict";
 *
 * assert.equal(contentTooLarge("Body over 1 MiB").status, 413);
 * ```
 */
export function contentTooLarge(message: string): Response {
  return errorResponseOf(413, message);
}

/**
 * Returns 500 Internal Server Error with a message that reveals nothing about the failure but the
 * request id, which the server logs with the error.
 *
 * @example
 * ```ts
 * import { internalServerError } from "@hea/server/http";
 * import assert from "node:assert/strict";
 *
 * assert.match(await internalServerError("r1").text(), /r1/);
 * ```
 */
export function internalServerError(requestId: string): Response {
  return errorResponseOf(
    500,
    `Internal server error; the server logged it as request ${requestId}`,
  );
}

/**
 * Returns 503 Service Unavailable with `Retry-After` in seconds.
 *
 * @example
 * ```ts
 * import { serviceUnavailable } from "@hea/server/http";
 * import assert from "node:assert/strict";
 *
 * assert.equal(serviceUnavailable(5, "Database unavailable").headers.get("retry-after"), "5");
 * ```
 */
export function serviceUnavailable(retryAfterSeconds: number, message: string): Response {
  return errorResponseOf(503, message, { "retry-after": String(Math.ceil(retryAfterSeconds)) });
}
