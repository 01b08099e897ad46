/**
 * What a service author needs to test a service: a test server on loopback and gates for
 * integration tests that need real servers.
 *
 * @example Serve a handler for a test
 * ```ts
 * import { startTestServer } from "@hea/server/testing";
 * import assert from "node:assert/strict";
 *
 * await using server = startTestServer(() => new Response("ok"));
 * assert.equal((await fetch(server.url)).status, 200);
 * ```
 *
 * @module
 */

export * from "./integration.ts";
export * from "./test_server.ts";
