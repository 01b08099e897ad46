/**
 * The handler factory of `GET /{collection}/byname/{name}`.
 *
 * @module
 */

import type { CollectionOptions } from "./collection_options.ts";
import {
  checkAcceptable,
  documentItem,
  documentResponse,
  runTimeDocument,
} from "./_document_response.ts";
import { HttpError } from "./http_error.ts";
import type { Handler } from "./router.ts";

/**
 * Creates the handler that returns one object by its `name` route parameter, with the caller's
 * permissions and the `getByName` actions; 404 when the caller may view no object of that name.
 *
 * @example
 * ```ts
 * import { getByName, Router } from "@hea/server/http";
 * import { SqliteDatabase } from "@hea/server/db";
 * import { PropertyType, TypeRegistry } from "@hea/server/objects";
 * import assert from "node:assert/strict";
 *
 * const database = new SqliteDatabase();
 * const options = { collection: "properties", type: PropertyType, registry: new TypeRegistry([PropertyType]), database };
 * const router = new Router().get("/properties/byname/:name", getByName(options));
 * const response = await router.fetch(new Request("http://localhost/properties/byname/missing"));
 * assert.equal(response.status, 404);
 * await response.body?.cancel();
 * await database.close();
 * ```
 */
export function getByName(options: CollectionOptions): Handler {
  return async (request, context) => {
    checkAcceptable(request);
    const name = context.params.name ?? "";

    const object = await options.database.getByName(options.collection, name, context.permissions);
    if (!object) {
      throw new HttpError(
        404,
        `${options.type.displayName} named ${JSON.stringify(name)} not found`,
      );
    }

    const item = documentItem(object, options, context.permissions);
    return documentResponse(
      request,
      context,
      runTimeDocument(
        request,
        context,
        options,
        [item],
        options.links?.getByName ?? options.links?.getOne,
      ),
    );
  };
}
