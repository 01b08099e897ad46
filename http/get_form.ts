/**
 * The handler factory of form routes such as `GET /{collection}/{id}/duplicator`.
 *
 * @module
 */

import type { ActionLink } from "../representors/mod.ts";
import type { CollectionOptions } from "./collection_options.ts";
import {
  checkAcceptable,
  documentItem,
  documentResponse,
  notFoundError,
  runTimeDocument,
} from "./_document_response.ts";
import type { Handler } from "./router.ts";

/**
 * Creates a handler that returns one object with a form: the object by its `id` route parameter
 * and the actions of `links`, whose `cj-template` action becomes the Collection+JSON template.
 * Duplicator and mover forms are built this way; the client submits the form to a POST route. 404
 * when the caller may not view the object.
 *
 * @example A duplicator form
 * ```ts
 * import { getForm, Router } from "@hea/server/http";
 * import { SqliteDatabase } from "@hea/server/db";
 * import { ActionSet } from "@hea/server/representors";
 * import { PropertyType, TypeRegistry } from "@hea/server/objects";
 * import assert from "node:assert/strict";
 *
 * const database = new SqliteDatabase();
 * const actions = new ActionSet([{
 *   name: "example-property-duplicate-form",
 *   type: "unsafe",
 *   target: ["item", "cj-template"],
 *   prompt: "Duplicate",
 *   inputs: [{ name: "display_name", prompt: "Name" }],
 * }]);
 * const options = { collection: "properties", type: PropertyType, registry: new TypeRegistry([PropertyType]), database, actions };
 * const router = new Router().get(
 *   "/properties/:id/duplicator",
 *   getForm(options, [{ name: "example-property-duplicate-form", path: "properties/duplicator", rel: "hea-duplicator" }]),
 * );
 * const response = await router.fetch(new Request("http://localhost/properties/6650f0c2a3b4c5d6e7f80912/duplicator"));
 * assert.equal(response.status, 404);
 * await response.body?.cancel();
 * await database.close();
 * ```
 */
export function getForm(options: CollectionOptions, links: readonly ActionLink[]): Handler {
  return async (request, context) => {
    checkAcceptable(request);
    const id = context.params.id ?? "";

    const object = await options.database.get(options.collection, id, context.permissions);
    if (!object) {
      throw notFoundError(options, id);
    }

    const item = documentItem(object, options, context.permissions);
    return documentResponse(
      request,
      context,
      runTimeDocument(request, context, options, [item], links),
    );
  };
}
