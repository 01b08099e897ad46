/**
 * A broker connection with one channel that reopens both after any failure, with backoff.
 *
 * amqplib 2.x can reconnect a connection by itself, but it leaves channels, exchanges, queues and
 * consumers to the caller. A channel can also close while its connection stays open (a refused
 * declaration, for example). This loop treats either as one event: it drops the connection,
 * waits, and reconnects, so that the publisher and the subscriber each have one place that
 * restores their state.
 *
 * NOTE: a broker that vanishes without closing the socket (a host crash or a network partition)
 * is noticed only through AMQP heartbeats, at the interval the broker proposes (60 s by default
 * in RabbitMQ 3.x). Add `?heartbeat=SECONDS` to the broker URL to notice sooner.
 *
 * @module
 */

import { Buffer } from "node:buffer";
import { type Channel, type ChannelModel, type ConfirmChannel, connect } from "amqplib";
import type { Logger } from "@logtape/logtape";
import { backoffDelay, sleep } from "./_backoff.ts";
import type { BackoffOptions } from "./backoff_options.ts";
import { redactUrl } from "./_redact.ts";

/** Options of a {@linkcode BrokerSession}. */
export interface BrokerSessionOptions<C extends Channel> {
  /** The broker URL, credentials included. */
  readonly url: string;
  /** The connection name that the broker lists, such as `hea publisher`. */
  readonly name: string;
  /** Whether the channel is in confirm mode. */
  readonly confirm: C extends ConfirmChannel ? true : false;
  /** Declares what the channel needs (exchanges, queues, consumers) after each (re)connection. */
  readonly setup: (channel: C, connection: ChannelModel) => Promise<void>;
  /** Called after `setup` succeeds, with the open channel. */
  readonly onOpen?: (channel: C) => void;
  /** Called once when an open channel is lost or closed. */
  readonly onClose?: (channel: C) => void;
  /** Delays between connection attempts. */
  readonly backoff?: BackoffOptions;
  /** How long a connection attempt may take, in milliseconds. Defaults to 10,000. */
  readonly connectTimeoutMs?: number;
  /** The logger of the owner. */
  readonly logger: Logger;
}

/** One connection and one channel, reopened with backoff until {@linkcode BrokerSession.close}. */
export class BrokerSession<C extends Channel> {
  readonly #options: BrokerSessionOptions<C>;
  readonly #stop = new AbortController();
  #channel: C | null = null;
  #connection: ChannelModel | null = null;
  #loop: Promise<void> | null = null;
  #openWaiters: Array<() => void> = [];

  constructor(options: BrokerSessionOptions<C>) {
    this.#options = options;
  }

  /** The open channel, or `null` while disconnected. */
  get channel(): C | null {
    return this.#channel;
  }

  /** Whether {@linkcode BrokerSession.close} was called. */
  get closed(): boolean {
    return this.#stop.signal.aborted;
  }

  /** Starts connecting in the background. Calling it again does nothing. */
  start(): void {
    if (this.#loop === null && !this.closed) {
      this.#loop = this.#run();
    }
  }

  /** Resolves when a channel is open, or when the session closes. */
  whenOpen(): Promise<void> {
    if (this.#channel !== null || this.closed) {
      return Promise.resolve();
    }

    return new Promise((resolve) => this.#openWaiters.push(resolve));
  }

  /** Closes the channel and connection and stops reconnecting. */
  async close(): Promise<void> {
    this.#stop.abort();
    this.#releaseWaiters();

    const connection = this.#connection;
    if (connection !== null) {
      await connection.close().catch(() => {
        // Already closed by the broker or by a failure: nothing is left to release.
      });
    }

    await this.#loop;
  }

  /** Drops the current connection so that the loop reconnects, such as after a cancelled consumer. */
  reset(reason: string): void {
    const connection = this.#connection;
    if (connection === null) {
      return;
    }

    this.#options.logger.warn("Reconnecting to the broker: {reason}", { reason });
    connection.close().catch(() => {
      // The close event drives the reconnection whether or not this close succeeds.
    });
  }

  async #run(): Promise<void> {
    const { logger } = this.#options;
    const target = redactUrl(this.#options.url);
    let attempt = 0;

    logger.info("Connecting to {url}", { url: target });

    while (!this.closed) {
      try {
        const { closed } = await this.#openOnce();
        attempt = 0;
        logger.info("Connected to {url}", { url: target });

        const error = await closed;
        if (this.closed) {
          break;
        }
        logger.warn("Lost the connection to {url}: {error}; reconnecting", {
          url: target,
          error: error?.message ?? "closed",
        });
      } catch (error) {
        if (this.closed) {
          break;
        }
        attempt += 1;
        const delay = backoffDelay(this.#options.backoff ?? {}, attempt);
        logger.warn(
          "Failed to connect to {url} (attempt {attempt}): {error}; retrying in {delay} ms",
          {
            url: target,
            attempt,
            error: messageOf(error),
            delay,
          },
        );
        await sleep(delay, this.#stop.signal);
        continue;
      }

      // Losing an open connection is retried after a first short delay: the broker is often back
      // at once, as after a network blip, and reconnecting at full speed in a loop is avoided.
      attempt = 1;
      await sleep(backoffDelay(this.#options.backoff ?? {}, attempt), this.#stop.signal);
    }

    logger.info("Disconnected from {url}", { url: target });
  }

  /** Connects, opens and sets up the channel; `closed` resolves when either is lost. */
  async #openOnce(): Promise<{ closed: Promise<Error | undefined> }> {
    const { confirm, connectTimeoutMs, name, setup } = this.#options;

    const connection = await connect(this.#options.url, {
      timeout: connectTimeoutMs ?? 10_000,
      clientProperties: { connection_name: name },
    });
    this.#connection = connection;

    let resolveClosed: (error: Error | undefined) => void = () => {};
    const closed = new Promise<Error | undefined>((resolve) => resolveClosed = resolve);
    let lastError: Error | undefined;
    let channel: C | null = null;
    let lost = false;
    const markLost = (): void => {
      lost = true;
      if (channel !== null && this.#channel === channel) {
        this.#channel = null;
        this.#options.onClose?.(channel);
      }
      resolveClosed(lastError);
    };

    // amqplib emits "error" before "close"; an EventEmitter without an "error" listener throws.
    connection.on("error", (error: Error) => lastError = error);
    connection.on("close", (error?: Error) => {
      lastError = error ?? lastError;
      markLost();
    });

    try {
      if (this.closed) {
        throw new Error("the session was closed while connecting");
      }

      channel =
        (confirm ? await connection.createConfirmChannel() : await connection.createChannel()) as C;
      channel.on("error", (error: Error) => lastError = error);
      channel.on("close", () => {
        markLost();
        // A channel closed by the broker leaves the connection open: close it to reconnect both.
        connection.close().catch(() => {});
      });

      await setup(channel, connection);
      if (this.closed) {
        throw new Error("the session was closed while connecting");
      }
      if (lost) {
        throw new Error("the connection closed during setup");
      }

      this.#channel = channel;
      this.#options.onOpen?.(channel);
      this.#releaseWaiters();
    } catch (error) {
      await connection.close().catch(() => {});
      this.#connection = null;
      throw lastError ?? error;
    }

    // Wrapped in an object because an async function that returns a promise waits for it.
    return {
      closed: closed.then((error) => {
        this.#connection = null;
        return error;
      }),
    };
  }

  #releaseWaiters(): void {
    for (const resolve of this.#openWaiters.splice(0)) {
      resolve();
    }
  }
}

/** Returns the bytes of a string as the Buffer that amqplib expects for message bodies. */
export function toBuffer(text: string): Buffer {
  return Buffer.from(text, "utf8");
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
