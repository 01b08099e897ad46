/**
 * The handler factory of `PUT /{collection}/{id}`.
 *
 * @module
 */

import { UpdateConflictError } from "../db/mod.ts";
import { type DesktopObject, parseObject, PUTTER_PERMISSIONS } from "../objects/mod.ts";
import { parseRequestBody } from "../representors/mod.ts";
import type { CollectionOptions } from "./collection_options.ts";
import { notFoundError } from "./_document_response.ts";
import { HttpError } from "./http_error.ts";
import { describeObject, recordActivity } from "./_activity.ts";
import { noContent } from "./responses.ts";
import type { RequestContext } from "./request_context.ts";
import type { Handler } from "./router.ts";

/**
 * Creates the handler that updates an object with the body's attributes, responding with 204. Attributes
 * the body omits, and those the caller may not change (read-only ones, shares without a sharer
 * permission, `owner` for a non-owner), keep their stored values. Responds with 404 when the caller may not view the object, 403
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

    const first = await readEditable(options, context, id);
    // Parsing once before the activity starts makes invalid input a 400 that records no action.
    mergeInput(options, context, input, id, first);
    await recordActivity(
      options,
      context,
      "hea-update",
      `Updating ${first.display_name}`,
      async (action) => {
        describeObject(action, "old", options, first);
        await applyUpdate(options, context, input, id, first);
        if (options.publisher) {
          const stored = await options.database.get(options.collection, id, context.permissions);
          if (stored) {
            describeObject(action, "new", options, stored);
            await options.publisher.publish(stored);
          }
        }
      },
    );
    return noContent();
  };
}

/** How often a PUT reads and applies its body again when a concurrent write got in between. */
const MAX_UPDATE_ATTEMPTS = 3;

/** Reads the object; 404 when the caller may not view it, 403 when it may view but not edit it. */
async function readEditable(
  options: CollectionOptions,
  context: RequestContext,
  id: string,
): Promise<DesktopObject> {
  const existing = await options.database.get(options.collection, id, context.permissions);
  if (!existing) {
    throw notFoundError(options, id);
  }
  const type = options.registry.get(existing.type) ?? options.type;
  if (!context.permissions.hasAny(existing, PUTTER_PERMISSIONS, type)) {
    throw new HttpError(403, `You may view but not change ${options.type.displayName} ${id}`);
  }

  return existing;
}

/**
 * Merges the body into the stored object and writes it only if no other request changed the
 * object in between. On a conflict it reads the object again and retries, so concurrent PUTs that change
 * different attributes both take effect.
 */
async function applyUpdate(
  options: CollectionOptions,
  context: RequestContext,
  input: Record<string, unknown>,
  id: string,
  first: DesktopObject,
): Promise<void> {
  let existing = first;
  for (let attempt = 1;; attempt++) {
    const object = mergeInput(options, context, input, id, existing);

    try {
      if (
        !(await options.database.update(options.collection, object, context.permissions, {
          expectedModified: existing.modified ?? null,
        }))
      ) {
        throw notFoundError(options, id);
      }
      return;
    } catch (error) {
      if (!(error instanceof UpdateConflictError)) {
        throw error;
      }
      if (attempt >= MAX_UPDATE_ATTEMPTS) {
        throw new HttpError(
          409,
          `${options.type.displayName} ${id} kept changing while this update was applied; retry the request`,
        );
      }
    }

    existing = await readEditable(options, context, id);
  }
}

/** Returns the object that the body makes of the stored one, keeping what the caller may not change. */
function mergeInput(
  options: CollectionOptions,
  context: RequestContext,
  input: Record<string, unknown>,
  id: string,
  existing: DesktopObject,
): DesktopObject {
  const type = options.registry.get(existing.type) ?? options.type;
  const object = parseObject(input, options.type, {
    registry: options.registry,
    existing,
    protectedAttributes: context.permissions.protectedAttributes(existing, type),
  });
  object.id = id;

  return object;
}
