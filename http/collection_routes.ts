/**
 * Wiring of the standard routes of a desktop-object collection.
 *
 * @module
 */

import { type CollectionOptions, collectionPath } from "./collection_options.ts";
import { getAll } from "./get_all.ts";
import { getByName } from "./get_by_name.ts";
import { getContent } from "./get_content.ts";
import { getForm } from "./get_form.ts";
import { getOne } from "./get_one.ts";
import { opener } from "./opener.ts";
import { post } from "./post.ts";
import { put } from "./put.ts";
import { DEFAULT_MAX_CONTENT_BYTES, putContent } from "./put_content.ts";
import { remove } from "./remove.ts";
import { bodyLimitsOf } from "./request_limits.ts";
import type { Router } from "./router.ts";

/**
 * Adds a collection's standard routes to a router and prepares the collection in the store:
 *
 * | route | handler |
 * | --- | --- |
 * | `GET /{path}` and `/{path}/` | {@linkcode getAll} |
 * | `POST /{path}` and `/{path}/` | {@linkcode post} |
 * | `GET /{path}/byname/{name}` | {@linkcode getByName} |
 * | `GET /{path}/{id}` | {@linkcode getOne} |
 * | `PUT /{path}/{id}` | {@linkcode put} |
 * | `DELETE /{path}/{id}` | {@linkcode remove} |
 * | `GET /{path}/{id}/opener` | {@linkcode opener} |
 * | `GET /{path}/{id}/duplicator`, with `links.duplicator` | {@linkcode getForm} |
 * | `POST /{path}/duplicator`, with `links.duplicator` | {@linkcode post} |
 * | `GET /{path}/{id}/content`, with `content` | {@linkcode getContent} |
 * | `PUT /{path}/{id}/content`, with `content` | {@linkcode putContent} |
 *
 * Bodies are parsed with the router's limits unless the collection sets `bodyLimits`. The attached
 * actions are checked here, so an unknown action name or an invalid item condition
 * fails at start-up rather than on a request. Add a service's own routes before these when they
 * could match the same paths.
 *
 * @example
 * ```ts
 * import { mountCollection, Router } from "@hea/server/http";
 * import { SqliteDatabase } from "@hea/server/db";
 * import { PropertyType, TypeRegistry } from "@hea/server/objects";
 * import assert from "node:assert/strict";
 *
 * const database = new SqliteDatabase();
 * const router = new Router();
 * await mountCollection(router, {
 *   collection: "properties",
 *   type: PropertyType,
 *   registry: new TypeRegistry([PropertyType]),
 *   database,
 * });
 * const response = await router.fetch(new Request("http://localhost/properties/", { method: "OPTIONS" }));
 * assert.equal(response.headers.get("allow"), "GET, POST, HEAD, OPTIONS");
 * await database.close();
 * ```
 */
export async function mountCollection(
  router: Router,
  collection: CollectionOptions,
): Promise<Router> {
  const options: CollectionOptions = collection.bodyLimits
    ? collection
    : { ...collection, bodyLimits: bodyLimitsOf(router.limits) };
  await options.database.ensureCollection(options.collection, {
    type: options.type,
    uniqueName: options.uniqueName ?? true,
  });
  checkLinks(options);
  const base = `/${collectionPath(options)}`;
  const maxContentBytes = options.maxContentBytes ?? DEFAULT_MAX_CONTENT_BYTES;
  if (options.content) {
    router
      .get(`${base}/:id/content`, getContent(options))
      .put(
        `${base}/:id/content`,
        putContent(options, { maxBytes: maxContentBytes }),
        { maxBodyBytes: maxContentBytes },
      );
  }
  const duplicator = options.links?.duplicator;
  if (duplicator) {
    router
      .get(`${base}/:id/duplicator`, getForm(options, duplicator))
      .post(`${base}/duplicator`, post(options));
  }

  return router
    .get(base, getAll(options))
    .get(`${base}/`, getAll(options))
    .post(base, post(options))
    .post(`${base}/`, post(options))
    .get(`${base}/byname/:name`, getByName(options))
    .get(`${base}/:id`, getOne(options))
    .put(`${base}/:id`, put(options))
    .delete(`${base}/:id`, remove(options))
    .get(`${base}/:id/opener`, opener(options));
}

/** Attaches every action list once, so that mistakes surface when the service starts. */
function checkLinks(options: CollectionOptions): void {
  for (const links of Object.values(options.links ?? {})) {
    if (links && links.length > 0) {
      if (!options.actions) {
        throw new TypeError(
          `Collection ${options.collection} attaches actions but has no action set; pass actions`,
        );
      }
      options.actions.attach(links, "http://localhost");
    }
  }
}
