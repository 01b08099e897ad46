/**
 * The handler factory of `PUT /{collection}/{id}/content`.
 *
 * @module
 */

import { PUTTER_PERMISSIONS } from "../objects/mod.ts";
import { BodyTooLargeError } from "../representors/mod.ts";
import type { CollectionOptions } from "./collection_options.ts";
import { notFoundError } from "./_document_response.ts";
import { contentStoreOf } from "./get_content.ts";
import { HttpError } from "./http_error.ts";
import { noContent } from "./responses.ts";
import type { Handler } from "./router.ts";

/** A media type with optional parameters, as RFC 9110 defines it. */
const MEDIA_TYPE =
  /^[A-Za-z0-9!#$&^_.+-]+\/[A-Za-z0-9!#$&^_.+-]+(\s*;\s*[A-Za-z0-9!#$&^_.+-]+=("[^"\\]*"|[A-Za-z0-9!#$&^_.+-]+))*$/;

/**
 * The largest content a PUT accepts by default: 1 GiB. `mountCollection` gives the content route
 * this limit in place of the router's `maxBodyBytes`.
 */
export const DEFAULT_MAX_CONTENT_BYTES: number = 1024 * 1024 * 1024;

/**
 * Creates the handler that replaces an object's content with the request body, streamed into the
 * store with the request's `Content-Type` (`application/octet-stream` when it has none), responding with
 * 204. 404 when the caller may not view the object, 403 when it may view but not edit it, 400 for
 * a missing body and 413 for a body over `maxBytes`.
 *
 * @throws {TypeError} when the collection's store keeps no content.
 *
 * @example
 * ```ts
 * import { putContent, Router } from "@hea/server/http";
 * import { SqliteDatabase } from "@hea/server/db";
 * import { PropertyType, TypeRegistry } from "@hea/server/objects";
 * import assert from "node:assert/strict";
 *
 * const database = new SqliteDatabase();
 * const options = { collection: "properties", type: PropertyType, registry: new TypeRegistry([PropertyType]), database };
 * const router = new Router().put("/properties/:id/content", putContent(options));
 * const response = await router.fetch(new Request("http://localhost/properties/6650f0c2a3b4c5d6e7f80912/content", {
 *   method: "PUT",
 *   body: "hello",
 * }));
 * assert.equal(response.status, 404);
 * await response.body?.cancel();
 * await database.close();
 * ```
 */
export function putContent(
  options: CollectionOptions,
  limits: { maxBytes?: number } = {},
): Handler {
  const store = contentStoreOf(options);
  const maxBytes = limits.maxBytes ?? DEFAULT_MAX_CONTENT_BYTES;

  return async (request, context) => {
    const id = context.params.id ?? "";
    const declared = Number(request.headers.get("content-length") ?? Number.NaN);
    if (declared > maxBytes) {
      throw new BodyTooLargeError(maxBytes);
    }

    const existing = await options.database.get(options.collection, id, context.permissions);
    if (!existing) {
      throw notFoundError(options, id);
    }
    const type = options.registry.get(existing.type) ?? options.type;
    if (!context.permissions.hasAny(existing, PUTTER_PERMISSIONS, type)) {
      throw new HttpError(403, `You may view but not change ${options.type.displayName} ${id}`);
    }
    if (!request.body) {
      throw new HttpError(400, "The request has no body; send the content as the body");
    }

    const contentType = request.headers.get("content-type") ?? "application/octet-stream";
    if (!MEDIA_TYPE.test(contentType)) {
      throw new HttpError(
        400,
        "Invalid Content-Type: use a media type such as text/plain or application/octet-stream",
      );
    }
    const body = request.body.pipeThrough(limitBytes(maxBytes));
    if (!(await store.putContent(options.collection, id, body, contentType, context.permissions))) {
      throw notFoundError(options, id);
    }
    return noContent();
  };
}

/** Passes bytes through until more than `maxBytes` have passed, then fails the stream. */
function limitBytes(maxBytes: number): TransformStream<Uint8Array, Uint8Array> {
  let total = 0;
  return new TransformStream({
    transform(chunk, controller) {
      total += chunk.byteLength;
      if (total > maxBytes) {
        controller.error(new BodyTooLargeError(maxBytes));
        return;
      }
      controller.enqueue(chunk);
    },
  });
}
