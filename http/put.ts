/**
 * The handler factory of `PUT /{collection}/{id}`.
 *
 * @module
 */

import { parseObject, PUTTER_PERMISSIONS } from "../objects/mod.ts";
import { parseRequestBody } from "../representors/mod.ts";
import type { CollectionOptions } from "./collection_options.ts";
import { notFoundError } from "./_document_response.ts";
import { HttpError } from "./http_error.ts";
import { describeObject, recordActivity } from "./_activity.ts";
import { noContent } from "./responses.ts";
import type { Handler } from "./router.ts";

/**
 * Creates the handler that updates an object with the body's attributes, responding with 204. Attributes
 * the body omits, and those the caller may not change (read-only ones, shares without a sharer
 * permission, `owner` for a non-owner), keep their stored values. Answers 404 when the caller may not view the object, 403
 * when it may view but not edit it, 400 for invalid input or an `id` that differs from the URL's,
 * and 409 when the new name is taken.
 *
 * @example
 * ```ts
 * import { put, Router } from "@hea/server/http";
 * import { SqliteDatabase } from "@hea/server/db";
 * import { PropertyType, TypeRegistry } from "@hea/server/objects";
 * import assert from "node:assert/strict";
 *
 * const database = new SqliteDatabase();
 * const options = { collection: "properties", type: PropertyType, registry: new TypeRegistry([PropertyType]), database };
 * const router = new Router().put("/properties/:id", put(options));
 * const response = await router.fetch(new Request("http://localhost/properties/6650f0c2a3b4c5d6e7f80912", {
 *   method: "PUT",
 *   headers: { "content-type": "application/json" },
 *   body: JSON.stringify({ type: "heaobject.registry.Property", name: "x" }),
 * }));
 * assert.equal(response.status, 404);
 * await response.body?.cancel();
 * await database.close();
 * ```
 */
export function put(options: CollectionOptions): Handler {
  return async (request, context) => {
    const id = context.params.id ?? "";
    const input = await parseRequestBody(request, options.bodyLimits);
    if (input.id !== undefined && input.id !== null && input.id !== id) {
      throw new HttpError(
        400,
        `Invalid field id: ${
          JSON.stringify(input.id)
        } does not match the URL's id ${id}; omit it or make them equal`,
      );
    }

    const existing = await options.database.get(options.collection, id, context.permissions);
    if (!existing) {
      throw notFoundError(options, id);
    }
    const type = options.registry.get(existing.type) ?? options.type;
    if (!context.permissions.hasAny(existing, PUTTER_PERMISSIONS, type)) {
      throw new HttpError(403, `You may view but not change ${options.type.displayName} ${id}`);
    }

    const object = parseObject(input, options.type, {
      registry: options.registry,
      existing,
      protectedAttributes: context.permissions.protectedAttributes(existing, type),
    });
    object.id = id;

    await recordActivity(
      options,
      context,
      "hea-update",
      `Updating ${existing.display_name}`,
      async (action) => {
        describeObject(action, "old", options, existing);
        if (!(await options.database.update(options.collection, object, context.permissions))) {
          throw notFoundError(options, id);
        }
        if (options.publisher) {
          const stored = await options.database.get(options.collection, id, context.permissions) ??
            object;
          describeObject(action, "new", options, stored);
          await options.publisher.publish(stored);
        }
      },
    );
    return noContent();
  };
}
