/**
 * @hea/server: a framework for HEA microservices. A service stores desktop objects (objects with an
 * owner, shares and permissions) in a {@linkcode Database}, serves them as Collection+JSON, WeSTL
 * or plain JSON, and filters every read and write by the caller's permissions.
 *
 * The submodules hold the rest: `@hea/server/objects` (the model), `@hea/server/http` (serving and
 * handlers), `@hea/server/db` (stores), `@hea/server/representors` (hypermedia),
 * `@hea/server/messaging` (RabbitMQ) and `@hea/server/testing`.
 *
 * @example A service with one collection on the embedded store
 * ```ts
 * import {
 *   mountCollection,
 *   PropertyType,
 *   Router,
 *   serve,
 *   SqliteDatabase,
 *   TypeRegistry,
 * } from "@hea/server";
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
 *
 * const created = await fetch(`${server.url}/properties`, {
 *   method: "POST",
 *   headers: { "content-type": "application/json", OIDC_CLAIM_sub: "alice" },
 *   body: JSON.stringify({ type: "heaobject.registry.Property", name: "greeting", value: "hello" }),
 * });
 * assert.equal(created.status, 201);
 * await created.body?.cancel();
 *
 * const listed = await fetch(`${server.url}/properties`, {
 *   headers: { accept: "application/json", OIDC_CLAIM_sub: "alice" },
 * });
 * assert.equal((await listed.json())[0].value, "hello");
 * await server.shutdown();
 * ```
 *
 * @module
 */

export * from "./objects/mod.ts";
export * from "./http/mod.ts";
export * from "./db/mod.ts";
export * from "./representors/mod.ts";
