/**
 * What a service author needs to test a service: a test server on loopback, gates for integration
 * tests that need a real server, a FerretDB server that a test controls itself, a local OIDC
 * issuer, and the conformance suite of the Database interface.
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

export * from "./database_conformance.ts";
export * from "./ferretdb.ts";
export * from "./integration.ts";
export * from "./oidc_issuer.ts";
export * from "./parity.ts";
export * from "./rabbitmq.ts";
export * from "./test_server.ts";
