/**
 * The handler factory of `GET /{collection}/{id}/opener`.
 *
 * @module
 */

import { collectionItemLinks } from "../representors/mod.ts";
import type { CollectionOptions } from "./collection_options.ts";
import {
  attachActions,
  checkAcceptable,
  documentItem,
  documentResponse,
  notFoundError,
  runTimeDocument,
} from "./_document_response.ts";
import type { Handler } from "./router.ts";

/**
 * Creates the handler that offers the ways to open an object: 300 Multiple Choices whose body lists
 * the `opener` actions as links, without the object's data, and whose `Location` is the link with
 * the `hea-default` relation, else the first link, else `#`. 404 when the caller may not view it.
 *
 * @example
 * ```ts
 * import { opener, Router } from "@hea/server/http";
 * import { SqliteDatabase } from "@hea/server/db";
 * import { PropertyType, TypeRegistry } from "@hea/server/objects";
 * import assert from "node:assert/strict";
 *
 * const database = new SqliteDatabase();
 * const options = { collection: "properties", type: PropertyType, registry: new TypeRegistry([PropertyType]), database };
 * const router = new Router().get("/properties/:id/opener", opener(options));
 * const response = await router.fetch(new Request("http://localhost/properties/x/opener"));
 * assert.equal(response.status, 404);
 * await response.body?.cancel();
 * await database.close();
 * ```
 */
export function opener(options: CollectionOptions): Handler {
  return async (request, context) => {
    checkAcceptable(request);
    const id = context.params.id ?? "";

    const object = await options.database.get(options.collection, id, context.permissions);
    if (!object) {
      throw notFoundError(options, id);
    }

    const item = documentItem(object, options, context.permissions);
    const links = collectionItemLinks(
      attachActions(options, options.links?.opener, context.baseUrl),
      item,
      context.params,
    );
    const preferred = links.find((link) => link.rel.split(" ").includes("hea-default")) ?? links[0];

    return documentResponse(
      request,
      context,
      runTimeDocument(request, context, options, [item], options.links?.opener, false),
      { status: 300, headers: { location: preferred?.href ?? "#" } },
    );
  };
}
