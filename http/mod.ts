/**
 * HTTP: serving with graceful shutdown, a router on URLPattern, the request context, one error type
 * mapped to responses in one place, response helpers, and the handler factories of desktop-object
 * collections.
 *
 * @example A service with one collection
 * ```ts
 * import { mountCollection, Router, serve } from "@hea/server/http";
 * import { SqliteDatabase } from "@hea/server/db";
 * import { PropertyType, TypeRegistry } from "@hea/server/objects";
 * import assert from "node:assert/strict";
 *
 * const database = new SqliteDatabase();
 * const router = await mountCollection(new Router(), {
 *   collection: "properties",
 *   type: PropertyType,
 *   registry: new TypeRegistry([PropertyType]),
 *   database,
 * });
 * const server = serve(router.fetch, { port: 0, handleSignals: false, onShutdown: () => database.close() });
 * const response = await fetch(`${server.url}/properties`, { headers: { accept: "application/json" } });
 * assert.deepEqual(await response.json(), []);
 * await server.shutdown();
 * ```
 *
 * @module
 */

export * from "./caller.ts";
export * from "./claim_groups.ts";
export * from "./collection_options.ts";
export * from "./collection_routes.ts";
export * from "./error_response.ts";
export * from "./get_all.ts";
export * from "./get_by_name.ts";
export * from "./get_content.ts";
export * from "./get_form.ts";
export * from "./get_one.ts";
export * from "./http_error.ts";
export * from "./jwt_authenticator.ts";
export * from "./opener.ts";
export * from "./people_groups.ts";
export * from "./post.ts";
export * from "./put.ts";
export * from "./put_content.ts";
export * from "./query_params.ts";
export * from "./remove.ts";
export * from "./request_limits.ts";
export * from "./request_context.ts";
export * from "./responses.ts";
export * from "./router.ts";
export * from "./secret_config.ts";
export * from "./serve.ts";
