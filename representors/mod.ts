/**
 * Hypermedia: design-time actions, run-time documents, content negotiation, and the
 * Collection+JSON, WeSTL and name-value-pair JSON representors; request bodies from templates,
 * JSON and forms.
 *
 * @example Negotiate and render
 * ```ts
 * import { negotiateRepresentor } from "@hea/server/representors";
 * import { PermissionContext, TypeRegistry } from "@hea/server/objects";
 * import assert from "node:assert/strict";
 *
 * const representor = negotiateRepresentor("application/json");
 * const chunks = await Array.fromAsync(representor!.render({
 *   href: "http://localhost:8080/notes/",
 *   actions: [],
 *   items: [],
 *   parameters: {},
 *   headers: {},
 *   registry: new TypeRegistry(),
 *   caller: new PermissionContext("alice"),
 * }));
 * assert.equal(chunks.join(""), "[]");
 * ```
 *
 * @module
 */

export * from "./action.ts";
export * from "./action_set.ts";
export * from "./collection_json.ts";
export * from "./document.ts";
export * from "./negotiation.ts";
export * from "./nvp_json.ts";
export * from "./request_body.ts";
export * from "./template_variables.ts";
export * from "./wstl_json.ts";
export * from "./item_if.ts";
export * from "./wstl_file.ts";
