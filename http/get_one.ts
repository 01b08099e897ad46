/**
 * The handler factory of `GET /{collection}/{id}`.
 *
 * @module
 */

import type { CollectionOptions } from "./collection_options.ts";
import { getForm } from "./get_form.ts";
import type { Handler } from "./router.ts";

/**
 * Creates the handler that returns one object by its `id` route parameter, with the caller's
 * permissions and the `getOne` actions. An object the caller may not view, or an id the store
 * could not have issued, is a 404.
 *
 * @example
 * ```ts
 * import { getOne, Router } from "@hea/server/http";
 * import { SqliteDatabase } from "@hea/server/db";
 * import { PropertyType, TypeRegistry } from "@hea/server/objects";
 * import assert from "node:assert/strict";
 *
 * const database = new SqliteDatabase();
 * const options = { collection: "properties", type: PropertyType, registry: new TypeRegistry([PropertyType]), database };
 * const router = new Router().get("/properties/:id", getOne(options));
 * const response = await router.fetch(new Request("http://localhost/properties/6650f0c2a3b4c5d6e7f80912"));
 * assert.equal(response.status, 404);
 * await response.body?.cancel();
 * await database.close();
 * ```
 */
export function getOne(options: CollectionOptions): Handler {
  // A form route and this route differ only in the actions they attach.
  return getForm(options, options.links?.getOne ?? []);
}
