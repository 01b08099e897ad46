/**
 * A service under test, served on a free loopback port.
 *
 * @module
 */

import { serve } from "../http/mod.ts";

/** A running test server. */
export interface TestServer {
  /** `http://127.0.0.1:PORT`. */
  readonly url: string;
  /** Stops the server after the requests in flight finish. */
  close(): Promise<void>;
  /** Stops the server, for `await using`. */
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Serves a fetch handler on 127.0.0.1 at a free port, without signal handlers, for tests that send
 * real HTTP requests.
 *
 * @example
 * ```ts
 * import { startTestServer } from "@hea/server/testing";
 * import assert from "node:assert/strict";
 *
 * await using server = startTestServer(() => new Response("pong"));
 * assert.equal(await (await fetch(server.url)).text(), "pong");
 * ```
 */
export function startTestServer(
  handler: (request: Request) => Response | Promise<Response>,
  options: { onShutdown?: () => void | Promise<void> } = {},
): TestServer {
  const server = serve(handler, {
    hostname: "127.0.0.1",
    port: 0,
    handleSignals: false,
    ...(options.onShutdown ? { onShutdown: options.onShutdown } : {}),
  });

  return {
    url: server.url,
    close: () => server.shutdown(),
    [Symbol.asyncDispose]: () => server.shutdown(),
  };
}
