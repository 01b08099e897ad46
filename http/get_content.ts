/**
 * The handler factory of `GET /{collection}/{id}/content`.
 *
 * @module
 */

import type { ContentStore, Database } from "../db/mod.ts";
import type { CollectionOptions } from "./collection_options.ts";
import { notFoundError } from "./_document_response.ts";
import { HttpError } from "./http_error.ts";
import { NO_CACHE_HEADERS } from "./responses.ts";
import type { Handler } from "./router.ts";

/**
 * Returns whether a store keeps content beside its objects.
 *
 * @example
 * ```ts
 * import { isContentStore } from "@hea/server/http";
 * import { SqliteDatabase } from "@hea/server/db";
 * import assert from "node:assert/strict";
 *
 * const database = new SqliteDatabase();
 * assert.equal(isContentStore(database), true);
 * await database.close();
 * ```
 */
export function isContentStore(database: Database): database is Database & ContentStore {
  const candidate = database as Partial<ContentStore>;
  return typeof candidate.getContent === "function" && typeof candidate.putContent === "function";
}

/**
 * Creates the handler that streams an object's content with the content type it was stored with.
 * 404 when the caller may not view the object or it has no content.
 *
 * @throws {TypeError} when the collection's store keeps no content.
 *
 * @example
 * ```ts
 * import { getContent, Router } from "@hea/server/http";
 * import { SqliteDatabase } from "@hea/server/db";
 * import { PropertyType, TypeRegistry } from "@hea/server/objects";
 * import assert from "node:assert/strict";
 *
 * const database = new SqliteDatabase();
 * const options = { collection: "properties", type: PropertyType, registry: new TypeRegistry([PropertyType]), database };
 * const router = new Router().get("/properties/:id/content", getContent(options));
 * const response = await router.fetch(new Request("http://localhost/properties/6650f0c2a3b4c5d6e7f80912/content"));
 * assert.equal(response.status, 404);
 * await response.body?.cancel();
 * await database.close();
 * ```
 */
export function getContent(options: CollectionOptions): Handler {
  const store = contentStoreOf(options);

  return async (_request, context) => {
    const id = context.params.id ?? "";

    const content = await store.getContent(options.collection, id, context.permissions);
    if (!content) {
      const object = await options.database.get(options.collection, id, context.permissions);
      throw object
        ? new HttpError(404, `${options.type.displayName} ${id} has no content`)
        : notFoundError(options, id);
    }

    // Content comes from users: a browser must neither guess another type nor render it as a page
    // of this service, where a script in it would run with the service's origin.
    const headers: Record<string, string> = {
      "content-type": content.contentType,
      "x-content-type-options": "nosniff",
      "content-disposition": "attachment",
      "content-security-policy": "sandbox",
      ...NO_CACHE_HEADERS,
    };
    if (content.length !== undefined) {
      headers["content-length"] = String(content.length);
    }
    return new Response(content.stream, { status: 200, headers });
  };
}

/** Returns the collection's store as a content store. */
export function contentStoreOf(options: CollectionOptions): Database & ContentStore {
  if (!isContentStore(options.database)) {
    throw new TypeError(
      `The store of collection ${options.collection} keeps no content; use a store that implements ContentStore`,
    );
  }

  return options.database;
}
