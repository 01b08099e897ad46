/**
 * The name-value-pair JSON representor (`application/json`): a plain array of the objects.
 *
 * @module
 */

import { documentItems, type RunTimeDocument } from "./document.ts";

/** The media type of name-value-pair JSON. */
export const NVP_JSON_MEDIA_TYPE = "application/json";

/**
 * Streams a run-time document as a JSON array of its objects, without actions or permissions.
 *
 * @example
 * ```ts
 * import { renderNvpJson } from "@hea/server/representors";
 * import { PermissionContext, TypeRegistry } from "@hea/server/objects";
 * import assert from "node:assert/strict";
 *
 * const chunks = await Array.fromAsync(renderNvpJson({
 *   href: "http://localhost:8080/notes/",
 *   actions: [],
 *   items: [{ object: { type: "x.Note", id: "1" }, permissions: [], attributePermissions: {} }],
 *   parameters: {},
 *   headers: {},
 *   registry: new TypeRegistry(),
 *   caller: new PermissionContext("alice"),
 * }));
 * assert.deepEqual(JSON.parse(chunks.join("")), [{ type: "x.Note", id: "1" }]);
 * ```
 */
export async function* renderNvpJson(document: RunTimeDocument): AsyncGenerator<string> {
  yield "[";
  let count = 0;
  for await (const item of documentItems(document.items)) {
    yield (count++ === 0 ? "" : ",") + JSON.stringify(item.object);
  }
  yield "]";
}
