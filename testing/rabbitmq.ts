/**
 * A launcher for private RabbitMQ nodes in integration tests: a test that stops and restarts a
 * broker gets its own node, so tests that share the broker of `scripts/start_rabbitmq.sh` keep
 * running.
 *
 * @module
 */

import { connect } from "amqplib";

/** Options of a {@linkcode RabbitMqLauncher}. */
export interface RabbitMqLauncherOptions {
  /**
   * The AMQP port on 127.0.0.1. Erlang distribution uses this port + 20,000, as RabbitMQ does, so
   * the port must be at most 45,535. Defaults to a port that is free, with its distribution port,
   * when the launcher is created.
   */
  readonly port?: number;
  /** The directory of the node's data and logs. Defaults to `$HEA_TEST_STATE_DIR/rabbitmq-PORT`, with `/tmp/hea-test` as the state root. */
  readonly stateDir?: string;
  /** How long to wait for the node to accept connections, in milliseconds. Defaults to 60,000. */
  readonly startTimeoutMs?: number;
}

/**
 * A private RabbitMQ node on 127.0.0.1, with guest/guest, that a test can stop and start again.
 * It needs Debian's `rabbitmq-server` package (`scripts/install_rabbitmq.sh`) and root, because
 * the package's commands switch to the `rabbitmq` user. The node keeps its data between a stop and
 * the next start, so durable queues and persistent messages survive a restart.
 *
 * @example Choose a port without starting
 * ```ts
 * import { RabbitMqLauncher } from "@hea/server/testing";
 * import assert from "node:assert/strict";
 *
 * const broker = new RabbitMqLauncher({ port: 5699 });
 * assert.equal(broker.url, "amqp://guest:guest@127.0.0.1:5699");
 * assert.equal(broker.nodeName, "hea_test_5699@localhost");
 * ```
 */
export class RabbitMqLauncher {
  /** The AMQP port on 127.0.0.1. */
  readonly port: number;
  /** The Erlang node name, for `rabbitmqctl -n`. */
  readonly nodeName: string;
  /** The directory of the node's data and logs. */
  readonly stateDir: string;
  /** The URL to connect to, with RabbitMQ's default guest account. */
  readonly url: string;
  readonly #startTimeoutMs: number;
  #process: Deno.ChildProcess | null = null;

  /**
   * Chooses the port and directories. Nothing starts until {@linkcode RabbitMqLauncher.start}.
   *
   * @throws {RangeError} when `port` is outside 1 to 45,535.
   */
  constructor(options: RabbitMqLauncherOptions = {}) {
    const port = options.port ?? findFreePort();
    if (!Number.isInteger(port) || port < 1 || port > 45_535) {
      throw new RangeError(`Invalid RabbitMQ port ${port}: use a port from 1 to 45535`);
    }

    this.port = port;
    this.nodeName = `hea_test_${port}@localhost`;
    const stateRoot = Deno.env.get("HEA_TEST_STATE_DIR") || "/tmp/hea-test";
    this.stateDir = options.stateDir ?? `${stateRoot}/rabbitmq-${port}`;
    this.url = `amqp://guest:guest@127.0.0.1:${port}`;
    this.#startTimeoutMs = options.startTimeoutMs ?? 60_000;
  }

  /** Whether the node's process is running. */
  get running(): boolean {
    return this.#process !== null;
  }

  /**
   * Starts the node and waits until it accepts AMQP connections.
   *
   * @throws {Error} when `rabbitmq-server` is missing, exits, or does not accept connections in time.
   */
  async start(): Promise<void> {
    if (this.#process !== null) {
      return;
    }

    await this.#prepareStateDir();

    let process: Deno.ChildProcess;
    try {
      process = new Deno.Command("rabbitmq-server", {
        env: this.#environment(),
        stdin: "null",
        stdout: "null",
        stderr: "null",
      }).spawn();
    } catch (error) {
      throw new Error(
        `Failed to run rabbitmq-server: ${
          messageOf(error)
        }; install it with scripts/install_rabbitmq.sh`,
        { cause: error },
      );
    }
    this.#process = process;

    const deadline = Date.now() + this.#startTimeoutMs;
    let exited = false;
    void process.status.then(() => exited = true);

    while (!(await this.#accepts())) {
      if (exited) {
        this.#process = null;
        throw new Error(
          `RabbitMQ node ${this.nodeName} exited during startup; see the logs in ${this.stateDir}/log`,
        );
      }
      if (Date.now() > deadline) {
        await this.stop();
        throw new Error(
          `Timed out after ${this.#startTimeoutMs} ms waiting for RabbitMQ node ${this.nodeName} on port ${this.port}; ` +
            `see the logs in ${this.stateDir}/log`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  /** Stops the node and waits until its process has exited. Does nothing when it is not running. */
  async stop(): Promise<void> {
    const process = this.#process;
    if (process === null) {
      return;
    }

    const stopped = await new Deno.Command("rabbitmqctl", {
      args: ["-n", this.nodeName, "-q", "stop", `${this.stateDir}/rabbitmq.pid`],
      env: this.#environment(),
      stdin: "null",
      stdout: "null",
      stderr: "piped",
    }).output();

    if (!stopped.success) {
      // The CLI could not reach the node: end the wrapper process that this launcher started.
      try {
        process.kill("SIGTERM");
      } catch {
        // Already exited.
      }
    }

    await process.status;
    this.#process = null;
  }

  /** Stops the node and deletes its data and logs. */
  async dispose(): Promise<void> {
    await this.stop();
    await Deno.remove(this.stateDir, { recursive: true }).catch(() => {});
  }

  /** Stops the node and deletes its data and logs, for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.dispose();
  }

  async #prepareStateDir(): Promise<void> {
    await Deno.mkdir(`${this.stateDir}/mnesia`, { recursive: true });
    await Deno.mkdir(`${this.stateDir}/log`, { recursive: true });
    // No plugins: each would open more listeners.
    await Deno.writeTextFile(`${this.stateDir}/enabled_plugins`, "[].\n");

    const chown = await new Deno.Command("chown", {
      args: ["-R", "rabbitmq:rabbitmq", this.stateDir],
      stdout: "null",
      stderr: "piped",
    }).output();
    if (!chown.success) {
      throw new Error(
        `Failed to give ${this.stateDir} to the rabbitmq user: ${
          new TextDecoder().decode(chown.stderr).trim()
        }; ` +
          "run the tests as root with the rabbitmq-server package installed",
      );
    }
  }

  #environment(): Record<string, string> {
    return {
      RABBITMQ_NODENAME: this.nodeName,
      RABBITMQ_NODE_IP_ADDRESS: "127.0.0.1",
      RABBITMQ_NODE_PORT: String(this.port),
      RABBITMQ_DIST_PORT: String(this.port + 20_000),
      RABBITMQ_MNESIA_BASE: `${this.stateDir}/mnesia`,
      RABBITMQ_LOG_BASE: `${this.stateDir}/log`,
      RABBITMQ_PID_FILE: `${this.stateDir}/rabbitmq.pid`,
      RABBITMQ_ENABLED_PLUGINS_FILE: `${this.stateDir}/enabled_plugins`,
      // epmd and Erlang distribution listen on loopback only.
      ERL_EPMD_ADDRESS: "127.0.0.1",
      RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS: "-kernel inet_dist_use_interface {127,0,0,1}",
      RABBITMQ_CTL_ERL_ARGS: "-kernel inet_dist_use_interface {127,0,0,1}",
    };
  }

  async #accepts(): Promise<boolean> {
    try {
      const connection = await connect(this.url, { timeout: 2_000 });
      await connection.close();
      return true;
    } catch {
      return false;
    }
  }
}

/** Returns a port from 30,000 to 45,535 that is free on 127.0.0.1, with its distribution port. */
function findFreePort(): number {
  for (let tries = 0; tries < 100; tries++) {
    const port = 30_000 + Math.floor(Math.random() * 15_536);
    if (isFree(port) && isFree(port + 20_000)) {
      return port;
    }
  }

  throw new Error(
    "Found no free port pair on 127.0.0.1 from 30000 to 45535; pass a port to RabbitMqLauncher",
  );
}

function isFree(port: number): boolean {
  try {
    Deno.listen({ hostname: "127.0.0.1", port }).close();
    return true;
  } catch {
    return false;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
