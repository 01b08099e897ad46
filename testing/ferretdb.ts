/**
 * A FerretDB server that a test starts, stops and restarts itself, on a free loopback port with its
 * own data directory, for tests of outages that must not disturb a shared server.
 *
 * @module
 */

/** The environment variable that names the FerretDB binary to use. */
export const FERRETDB_BINARY_VARIABLE = "HEA_FERRETDB_BIN";

/** Options of {@linkcode startFerretDb}. Every field has a default. */
export interface FerretDbOptions {
  /** The binary. Defaults to the result of {@linkcode findFerretDbBinary}. */
  readonly binary?: string;
  /** The port on 127.0.0.1; defaults to a free one. */
  readonly port?: number;
  /** The data directory, which must exist; defaults to a new temporary directory. */
  readonly dataDir?: string;
  /** How long to wait for the port to accept connections, in milliseconds. Default 30000. */
  readonly startTimeoutMs?: number;
}

const DEFAULT_START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;
const POLL_INTERVAL_MS = 100;
/** How much of the server's standard error to keep for failure messages, in characters. */
const MAX_LOG_LENGTH = 8_000;

/**
 * Returns the FerretDB binary named by `HEA_FERRETDB_BIN`, else the first `ferretdb` on `PATH`,
 * else `null`.
 *
 * @example
 * ```ts
 * import { findFerretDbBinary } from "@hea/server/testing";
 *
 * import assert from "node:assert/strict";
 *
 * const binary = findFerretDbBinary();
 * assert.ok(binary === null || binary.endsWith("ferretdb") || Deno.env.has("HEA_FERRETDB_BIN"));
 * ```
 */
export function findFerretDbBinary(): string | null {
  const configured = Deno.env.get(FERRETDB_BINARY_VARIABLE);
  if (configured) {
    return configured;
  }

  for (const directory of (Deno.env.get("PATH") ?? "").split(":")) {
    if (directory === "") {
      continue;
    }
    const candidate = `${directory}/ferretdb`;
    try {
      const info = Deno.statSync(candidate);
      if (info.isFile && (info.mode === null || (info.mode & 0o111) !== 0)) {
        return candidate;
      }
    } catch {
      // Not in this directory: look in the next one.
    }
  }

  return null;
}

/**
 * A FerretDB process with the SQLite backend, listening on 127.0.0.1. It can be stopped and started
 * again on the same port and data directory, so that clients see an outage and a return.
 *
 * @example Start, stop and restart a server
 * ```ts
 * import { findFerretDbBinary, startFerretDb } from "@hea/server/testing";
 * import assert from "node:assert/strict";
 *
 * if (findFerretDbBinary()) {
 *   await using server = await startFerretDb();
 *   await server.stop();
 *   assert.equal(server.running, false);
 *   await server.start();
 *   assert.equal(server.running, true);
 * }
 * ```
 */
export class FerretDbServer implements AsyncDisposable {
  /** The binary that runs the server. */
  readonly binary: string;
  /** The port on 127.0.0.1. */
  readonly port: number;
  /** The directory of the server's SQLite files and state. */
  readonly dataDir: string;
  /** A connection string for the server, without a database name. */
  readonly url: string;

  readonly #startTimeoutMs: number;
  readonly #removeDataDir: boolean;
  #child: Deno.ChildProcess | undefined;
  #log = "";
  #logDone: Promise<void> = Promise.resolve();

  /** Describes a server; {@linkcode FerretDbServer.start} runs it. */
  constructor(
    binary: string,
    port: number,
    dataDir: string,
    options: { startTimeoutMs?: number; removeDataDir?: boolean } = {},
  ) {
    this.binary = binary;
    this.port = port;
    this.dataDir = dataDir;
    this.url = `mongodb://127.0.0.1:${port}/`;
    this.#startTimeoutMs = options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
    this.#removeDataDir = options.removeDataDir ?? false;
  }

  /** Whether the process is running. */
  get running(): boolean {
    return this.#child !== undefined;
  }

  /**
   * Starts the process and waits until the port accepts connections.
   *
   * @throws {Error} when the process exits or the port stays closed past the start timeout. The
   * message contains the end of the server's log.
   */
  async start(): Promise<void> {
    if (this.#child) {
      return;
    }

    const child = new Deno.Command(this.binary, {
      args: [
        "--handler=sqlite",
        `--sqlite-url=file:${this.dataDir}/`,
        `--listen-addr=127.0.0.1:${this.port}`,
        `--state-dir=${this.dataDir}`,
        "--debug-addr=-",
        "--telemetry=disable",
        "--log-level=warn",
      ],
      stdin: "null",
      stdout: "null",
      stderr: "piped",
      // FERRETDB_* variables from the caller's environment would change the server's settings.
      clearEnv: true,
      env: environmentWithoutFerretDbSettings(),
    }).spawn();
    this.#child = child;
    this.#logDone = this.#collectLog(child.stderr);

    const deadline = Date.now() + this.#startTimeoutMs;
    let exited = false;
    child.status.then(() => {
      exited = true;
    });
    while (!(await portAcceptsConnections(this.port))) {
      if (exited || Date.now() > deadline) {
        const reason = exited
          ? "exited during startup"
          : `did not listen within ${this.#startTimeoutMs} ms`;
        await this.stop();
        throw new Error(
          `FerretDB (${this.binary}) on 127.0.0.1:${this.port} ${reason}; its log ends with:\n${
            this.#log.slice(-2000)
          }`,
        );
      }
      await delay(POLL_INTERVAL_MS);
    }
  }

  /**
   * Stops the process with SIGTERM, or SIGKILL when it is still running after 10 s, and waits for
   * it to exit. The data directory stays. Calling it on a stopped server is harmless.
   */
  async stop(): Promise<void> {
    const child = this.#child;
    if (!child) {
      return;
    }
    this.#child = undefined;

    try {
      child.kill("SIGTERM");
    } catch {
      // It has exited already.
    }
    const timer = setTimeout(() => {
      try {
        child.kill("SIGKILL");
      } catch {
        // It exited just in time.
      }
    }, STOP_TIMEOUT_MS);
    try {
      await child.status;
    } finally {
      clearTimeout(timer);
    }
    await this.#logDone;
  }

  /** Stops the server and removes the data directory if {@linkcode startFerretDb} created it. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
    if (this.#removeDataDir) {
      await Deno.remove(this.dataDir, { recursive: true }).catch(() => {});
    }
  }

  /** The end of the server's standard error, for diagnosing a failed test. */
  get log(): string {
    return this.#log;
  }

  async #collectLog(stream: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    for await (const chunk of stream) {
      this.#log = (this.#log + decoder.decode(chunk, { stream: true })).slice(-MAX_LOG_LENGTH);
    }
  }
}

/**
 * Starts a FerretDB server on 127.0.0.1 and waits until it accepts connections. Dispose of it (or
 * stop it) when done: `await using server = await startFerretDb()`.
 *
 * @throws {Error} when no binary is given or found, or the server does not start.
 *
 * @example
 * ```ts
 * import { findFerretDbBinary, startFerretDb } from "@hea/server/testing";
 * import assert from "node:assert/strict";
 *
 * if (findFerretDbBinary()) {
 *   await using server = await startFerretDb({ startTimeoutMs: 10_000 });
 *   assert.match(server.url, /^mongodb:\/\/127\.0\.0\.1:\d+\/$/);
 * }
 * ```
 */
export async function startFerretDb(options: FerretDbOptions = {}): Promise<FerretDbServer> {
  const binary = options.binary ?? findFerretDbBinary();
  if (!binary) {
    throw new Error(
      `FerretDB not found: set ${FERRETDB_BINARY_VARIABLE} or put ferretdb on PATH (scripts/install_ferretdb.sh installs it)`,
    );
  }

  const dataDir = options.dataDir ?? await Deno.makeTempDir({ prefix: "hea-ferretdb-" });
  const port = options.port ?? freeLoopbackPort();
  const server = new FerretDbServer(binary, port, dataDir, {
    removeDataDir: options.dataDir === undefined,
    ...(options.startTimeoutMs === undefined ? {} : { startTimeoutMs: options.startTimeoutMs }),
  });
  try {
    await server.start();
  } catch (error) {
    await server[Symbol.asyncDispose]();
    throw error;
  }

  return server;
}

/**
 * Returns a TCP port on 127.0.0.1 that was free a moment ago: the system picks it, and the socket is
 * closed at once so that the server can bind it.
 *
 * @example
 * ```ts
 * import { freeLoopbackPort } from "@hea/server/testing";
 * import assert from "node:assert/strict";
 *
 * assert.ok(freeLoopbackPort() > 0);
 * ```
 */
export function freeLoopbackPort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();

  return port;
}

function environmentWithoutFerretDbSettings(): Record<string, string> {
  const environment: Record<string, string> = {};
  for (const [name, value] of Object.entries(Deno.env.toObject())) {
    if (!name.startsWith("FERRETDB_")) {
      environment[name] = value;
    }
  }

  return environment;
}

async function portAcceptsConnections(port: number): Promise<boolean> {
  try {
    const connection = await Deno.connect({ hostname: "127.0.0.1", port });
    connection.close();
    return true;
  } catch {
    return false;
  }
}

function delay(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}
