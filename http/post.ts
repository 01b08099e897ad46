/**
 * The handler factory of `POST /{collection}`.
 *
 * @module
 */

import { parseObject } from "../objects/mod.ts";
import { parseRequestBody } from "../representors/mod.ts";
import { type CollectionOptions, collectionPath } from "./collection_options.ts";
import { HttpError } from "./http_error.ts";
import { describeObject, recordActivity } from "./_activity.ts";
import { created } from "./responses.ts";
import type { Handler } from "./router.ts";

/**
 * Creates the handler that stores a new object from a Collection+JSON template, JSON or form body,
 * responding with 201 and `Location`. A body without `owner` is owned by the caller. It responds with 400 for
 * invalid input, 403 when the caller may not create objects or names another owner, and 409 when
 * the name is taken.
 *
 * @example
 * ```ts
 * import { post, Router } from "@hea/server/http";
 * import { SqliteDatabase } from "@hea/server/db";
 * import { PropertyType, TypeRegistry } from "@hea/server/objects";
 * import assert from "node:assert/strict";
 *
 * const database = new SqliteDatabase();
 * const options = { collection: "properties", type: PropertyType, registry: new TypeRegistry([PropertyType]), database };
 * const router = new Router().post("/properties", post(options));
 * const response = await router.fetch(new Request("http://localhost/properties", {
 *   method: "POST",
 *   headers: { "content-type": "application/json", OIDC_CLAIM_sub: "alice" },
 *   body: JSON.stringify({ type: "heaobject.registry.Property", name: "x", value: "1" }),
 * }));
 * assert.equal(response.status, 201);
 * assert.match(response.headers.get("location") ?? "", /^http:\/\/localhost\/properties\/[0-9a-f]{24}$/);
 * await database.close();
 * ```
 */
export function post(options: CollectionOptions): Handler {
  return async (request, context) => {
    const input = await parseRequestBody(request, options.bodyLimits);
    const object = parseObject(input, options.type, { registry: options.registry });
    const sub = context.caller.sub;
    if (input.owner === undefined || input.owner === null) {
      object.owner = sub;
    }

    if (options.canCreate && !(await options.canCreate(context))) {
      throw new HttpError(
        403,
        `You may not create objects in ${collectionPath(options)}; ask an administrator for access`,
      );
    }
    if (object.owner !== sub) {
      throw new HttpError(
        403,
        `Invalid field owner: ${JSON.stringify(object.owner)} is not you; omit owner or set it to ${
          JSON.stringify(sub)
        }`,
      );
    }

    const id = await recordActivity(
      options,
      context,
      "hea-create",
      `Creating ${object.display_name}`,
      async (action) => {
        const id = await options.database.insert(options.collection, object);
        if (options.publisher) {
          const stored = await options.database.get(options.collection, id, context.permissions) ??
            { ...object, id };
          describeObject(action, "new", options, stored);
          await options.publisher.publish(stored);
        }
        return id;
      },
    );
    return created(`${context.baseUrl}/${collectionPath(options)}/${id}`);
  };
}
