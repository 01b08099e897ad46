/**
 * The handler factory of `DELETE /{collection}/{id}`.
 *
 * @module
 */

import { DELETER_PERMISSIONS } from "../objects/mod.ts";
import type { CollectionOptions } from "./collection_options.ts";
import { notFoundError } from "./_document_response.ts";
import { HttpError } from "./http_error.ts";
import { describeObject, recordActivity } from "./_activity.ts";
import { noContent } from "./responses.ts";
import type { Handler } from "./router.ts";

/**
 * Creates the handler that deletes an object, responding with 204; 404 when the caller may not view it,
 * and 403 when it may view but not delete it.
 *
 * @example
 * ```ts
 * import { remove, Router } from "@hea/server/http";
 * import { SqliteDatabase } from "@hea/server/db";
 * import { PropertyType, TypeRegistry } from "@hea/server/objects";
 * import assert from "node:assert/strict";
 *
 * const database = new SqliteDatabase();
 * const options = { collection: "properties", type: PropertyType, registry: new TypeRegistry([PropertyType]), database };
 * const router = new Router().delete("/properties/:id", remove(options));
 * const response = await router.fetch(new Request("http://localhost/properties/x", { method: "DELETE" }));
 * assert.equal(response.status, 404);
 * await response.body?.cancel();
 * await database.close();
 * ```
 */
export function remove(options: CollectionOptions): Handler {
  return async (_request, context) => {
    const id = context.params.id ?? "";

    const existing = await options.database.get(options.collection, id, context.permissions);
    if (!existing) {
      throw notFoundError(options, id);
    }
    const type = options.registry.get(existing.type) ?? options.type;
    if (!context.permissions.hasAny(existing, DELETER_PERMISSIONS, type)) {
      throw new HttpError(403, `You may view but not delete ${options.type.displayName} ${id}`);
    }

    await recordActivity(
      options,
      context,
      "hea-delete",
      `Deleting ${existing.display_name}`,
      async (action) => {
        describeObject(action, "old", options, existing);
        if (!(await options.database.delete(options.collection, id, context.permissions))) {
          throw notFoundError(options, id);
        }
      },
    );
    return noContent();
  };
}
