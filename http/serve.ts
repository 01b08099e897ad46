/**
 * Serving a handler on `Deno.serve`, with a graceful shutdown on SIGINT and SIGTERM.
 *
 * @module
 */

import { getLogger } from "@logtape/logtape";

/** Options of {@linkcode serve}. */
export interface ServeOptions {
  /** The address to listen on. Defaults to `127.0.0.1`. */
  readonly hostname?: string;
  /** The port; `0` picks a free one. Defaults to 8080. */
  readonly port?: number;
  /** Whether SIGINT and SIGTERM shut the server down gracefully. Defaults to `true`. */
  readonly handleSignals?: boolean;
  /** Work to run after the last request finishes, such as closing the database. */
  readonly onShutdown?: () => void | Promise<void>;
}

/** A running server. */
export interface RunningServer {
  /** The address the server listens on. */
  readonly hostname: string;
  /** The port the server listens on. */
  readonly port: number;
  /** `http://hostname:port`. */
  readonly url: string;
  /** Settles when the server has stopped and `onShutdown` has run. */
  readonly finished: Promise<void>;
  /**
   * Stops accepting connections, lets in-flight requests finish, then runs `onShutdown`. Calling it
   * again returns the same promise.
   */
  shutdown(): Promise<void>;
}

const logger = getLogger(["hea", "http", "server"]);

/**
 * Serves a fetch handler. On SIGINT or SIGTERM the server stops accepting connections, waits for
 * the requests in flight, runs `onShutdown`, and logs its stop.
 *
 * @example Serve on a free port and stop
 * ```ts
 * import { serve } from "@hea/server/http";
 * import assert from "node:assert/strict";
 *
 * const server = serve(() => new Response("pong"), { port: 0, handleSignals: false });
 * const response = await fetch(server.url);
 * assert.equal(await response.text(), "pong");
 * await server.shutdown();
 * ```
 */
export function serve(
  handler: (request: Request) => Response | Promise<Response>,
  options: ServeOptions = {},
): RunningServer {
  const hostname = options.hostname ?? "127.0.0.1";
  let address: Deno.NetAddr | undefined;
  const server = Deno.serve({
    hostname,
    port: options.port ?? 8080,
    onListen: (listening) => {
      address = listening as Deno.NetAddr;
    },
    // A handler that throws outside a Router would otherwise be reported by Deno on standard error,
    // bypassing the service's logging configuration.
    onError: (error) => {
      const requestId = crypto.randomUUID();
      logger.error("Request {requestId} failed: {error}", { requestId, error });
      return new Response(`Internal server error; the server logged it as request ${requestId}`, {
        status: 500,
        headers: { "content-type": "text/plain; charset=utf-8", "x-request-id": requestId },
      });
    },
  }, handler);
  address ??= server.addr as Deno.NetAddr;
  const url = `http://${formatHost(address.hostname)}:${address.port}`;
  logger.info("Listening on {url}", { url });

  let stopping: Promise<void> | undefined;
  const signals: Deno.Signal[] = options.handleSignals === false ? [] : ["SIGINT", "SIGTERM"];
  const onSignal = () => {
    logger.info("Received a stop signal; finishing requests in flight");
    void shutdown();
  };
  for (const signal of signals) {
    Deno.addSignalListener(signal, onSignal);
  }

  const shutdown = (): Promise<void> => {
    stopping ??= (async () => {
      for (const signal of signals) {
        Deno.removeSignalListener(signal, onSignal);
      }
      await server.shutdown();
      try {
        await options.onShutdown?.();
      } catch (error) {
        logger.error("Shutdown work failed: {error}", { error });
      }
      logger.info("Stopped listening on {url}", { url });
    })();
    return stopping;
  };

  const finished = server.finished.then(() => stopping);

  return {
    hostname: address.hostname,
    port: address.port,
    url,
    finished: finished.then(() => {}),
    shutdown,
  };
}

function formatHost(hostname: string): string {
  return hostname.includes(":") ? `[${hostname}]` : hostname;
}
