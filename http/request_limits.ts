/**
 * Limits on the size of requests: URL length, header size, body size and JSON nesting, with
 * defaults that a service can change.
 *
 * @module
 */

import { type BodyLimits, BodyTooLargeError } from "../representors/mod.ts";
import { HttpError } from "./http_error.ts";

/** Limits on the size of a request. Omitted limits take the default. */
export interface RequestLimits {
  /** The maximum length of the request target (path and query) in characters; longer is a 414. */
  readonly maxUrlLength?: number;
  /** The maximum size of all header names and values together, in bytes; more is a 431. */
  readonly maxHeaderBytes?: number;
  /** The maximum size of a request body in bytes; a larger body is a 413. */
  readonly maxBodyBytes?: number;
  /** The maximum nesting of JSON arrays and objects in a body; deeper nesting is a 400. */
  readonly maxJsonDepth?: number;
}

/**
 * The limits a service gets when it sets none: 8 KiB of URL, 32 KiB of headers, 1 MiB of body and
 * 32 levels of JSON nesting.
 *
 * NOTE: These sizes are a judgment, not a measurement. They leave room for the claim headers that
 * a gateway adds and for a large bearer token, and match the 1 MiB and 32 levels that
 * `parseRequestBody` uses when no limits reach it.
 *
 * @example
 * ```ts
 * import { DEFAULT_REQUEST_LIMITS } from "@hea/server/http";
 * import assert from "node:assert/strict";
 *
 * assert.equal(DEFAULT_REQUEST_LIMITS.maxBodyBytes, 1024 * 1024);
 * ```
 */
export const DEFAULT_REQUEST_LIMITS: Readonly<Required<RequestLimits>> = Object.freeze({
  maxUrlLength: 8 * 1024,
  maxHeaderBytes: 32 * 1024,
  maxBodyBytes: 1024 * 1024,
  maxJsonDepth: 32,
});

/**
 * Returns the limits with defaults filled in.
 *
 * @throws {RangeError} naming the limit when one is not a positive integer.
 *
 * @example
 * ```ts
 * import { resolveRequestLimits } from "@hea/server/http";
 * import assert from "node:assert/strict";
 *
 * assert.equal(resolveRequestLimits({ maxBodyBytes: 4096 }).maxBodyBytes, 4096);
 * assert.equal(resolveRequestLimits({}).maxJsonDepth, 32);
 * assert.throws(() => resolveRequestLimits({ maxUrlLength: 0 }), /maxUrlLength/);
 * ```
 */
export function resolveRequestLimits(limits: RequestLimits = {}): Required<RequestLimits> {
  const resolved = { ...DEFAULT_REQUEST_LIMITS };
  for (const name of Object.keys(DEFAULT_REQUEST_LIMITS) as (keyof RequestLimits)[]) {
    const value = limits[name];
    if (value === undefined) {
      continue;
    }
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new RangeError(`Invalid request limit ${name}: ${value}; use a positive integer`);
    }
    resolved[name] = value;
  }

  return resolved;
}

/**
 * Returns the limits that `parseRequestBody` takes, so that parsed bodies obey the same limits as
 * the router. Pass the result as `bodyLimits` of each collection.
 *
 * @example
 * ```ts
 * import { bodyLimitsOf } from "@hea/server/http";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(bodyLimitsOf({ maxBodyBytes: 4096, maxJsonDepth: 8 }), { maxBytes: 4096, maxDepth: 8 });
 * ```
 */
export function bodyLimitsOf(limits: RequestLimits = {}): BodyLimits {
  const resolved = resolveRequestLimits(limits);

  return { maxBytes: resolved.maxBodyBytes, maxDepth: resolved.maxJsonDepth };
}

/**
 * Checks a request against the URL, header and declared body limits before any handler runs.
 *
 * @throws {HttpError} 414 for a long URL, 431 for large headers, 400 for an invalid
 * `Content-Length`, and 413 for a declared body over the limit.
 *
 * @example
 * ```ts
 * import { checkRequestLimits, HttpError } from "@hea/server/http";
 * import assert from "node:assert/strict";
 *
 * const request = new Request(`http://localhost/${"a".repeat(100)}`);
 * assert.throws(() => checkRequestLimits(request, { maxUrlLength: 64 }), (error: HttpError) => error.status === 414);
 * checkRequestLimits(new Request("http://localhost/components"));
 * ```
 */
export function checkRequestLimits(request: Request, limits: RequestLimits = {}): void {
  const resolved = resolveRequestLimits(limits);

  const url = new URL(request.url);
  const targetLength = url.pathname.length + url.search.length;
  if (targetLength > resolved.maxUrlLength) {
    throw new HttpError(
      414,
      `The URL is ${targetLength} characters long, more than the limit of ${resolved.maxUrlLength}; shorten the path or the query`,
    );
  }

  const headerBytes = headerSize(request.headers);
  if (headerBytes > resolved.maxHeaderBytes) {
    throw new HttpError(
      431,
      `The request headers take ${headerBytes} bytes, more than the limit of ${resolved.maxHeaderBytes}; send fewer or shorter headers`,
    );
  }

  const contentLength = request.headers.get("content-length");
  if (contentLength === null) {
    return;
  }
  if (!/^\d{1,15}$/.test(contentLength.trim())) {
    throw new HttpError(400, "Invalid header Content-Length: use a non-negative integer");
  }
  if (Number(contentLength) > resolved.maxBodyBytes) {
    throw new HttpError(
      413,
      `The request body is larger than ${resolved.maxBodyBytes} bytes; send a smaller body`,
    );
  }
}

/**
 * Returns the request with a body that fails with {@linkcode BodyTooLargeError} once more than
 * `maxBytes` arrive, for bodies sent without `Content-Length` (chunked). Handlers that read the
 * body with `parseRequestBody`, `request.text()` or a reader then see the error, which the router
 * turns into a 413. A request without a body, or with a declared length, is returned unchanged,
 * because {@linkcode checkRequestLimits} has checked the declared length and the server stops
 * reading at it.
 *
 * @example
 * ```ts
 * import { limitRequestBody } from "@hea/server/http";
 * import { BodyTooLargeError } from "@hea/server/representors";
 * import assert from "node:assert/strict";
 *
 * const chunked = new ReadableStream<Uint8Array>({
 *   start(controller) {
 *     controller.enqueue(new Uint8Array(600));
 *     controller.enqueue(new Uint8Array(600));
 *     controller.close();
 *   },
 * });
 * const request = limitRequestBody(new Request("http://localhost/", { method: "POST", body: chunked }), 1000);
 * await assert.rejects(request.text(), BodyTooLargeError);
 * ```
 */
export function limitRequestBody(request: Request, maxBytes: number): Request {
  if (
    request.body === null || request.headers.has("content-length") ||
    !BODY_METHODS.has(request.method)
  ) {
    return request;
  }

  let received = 0;
  const limited = request.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        received += chunk.byteLength;
        if (received > maxBytes) {
          controller.error(new BodyTooLargeError(maxBytes));
          return;
        }
        controller.enqueue(chunk);
      },
    }),
  );

  // NOTE: The copy has no abort signal. Copying the whole request reads `request.signal`, and on a
  // served request Deno 2.9 then prints a warning about its legacy abort behavior.
  return new Request(request.url, {
    method: request.method,
    headers: request.headers,
    body: limited,
  });
}

/**
 * The methods whose requests may carry a body that a handler reads. A copy of a request with any
 * other method and a body cannot be made (GET, HEAD) or would never be read.
 */
const BODY_METHODS: ReadonlySet<string> = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** Counts each header as it travels on HTTP/1.1: name, `: `, value and CRLF. */
function headerSize(headers: Headers): number {
  let size = 0;
  for (const [name, value] of headers) {
    size += name.length + value.length + 4;
  }

  return size;
}
