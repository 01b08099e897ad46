/**
 * The publisher: announces desktop objects on the broker's topic exchange through a durable
 * outbox, with publisher confirms and automatic reconnection.
 *
 * @module
 */

import { setImmediate } from "node:timers";
import type { ChannelModel, ConfirmChannel } from "amqplib";
import { getLogger } from "@logtape/logtape";
import type { HeaObject } from "../objects/mod.ts";
import { backoffDelay, sleep } from "./_backoff.ts";
import type { BackoffOptions } from "./backoff_options.ts";
import { BrokerSession, toBuffer } from "./_broker_session.ts";
import { DEFAULT_EXCHANGE, type MessageBrokerConfig } from "./broker_config.ts";
import { declareExchange } from "./_exchange.ts";
import { Outbox, type OutboxMessage } from "./outbox.ts";

/**
 * The publishing interface that the HTTP handler factories take to announce changed objects:
 * a {@linkcode Publisher}, or a stub in tests.
 *
 * @example A stub that records what handlers publish
 * ```ts
 * import type { ObjectPublisher } from "@hea/server/messaging";
 * import type { HeaObject } from "@hea/server/objects";
 * import assert from "node:assert/strict";
 *
 * const published: HeaObject[] = [];
 * const publisher: ObjectPublisher = {
 *   publish: (object) => {
 *     published.push(object);
 *     return Promise.resolve();
 *   },
 * };
 * await publisher.publish({ type: "heaobject.registry.Property", name: "x" });
 * assert.equal(published.length, 1);
 * ```
 */
export interface ObjectPublisher {
  /**
   * Publishes an object to subscribers of its type. Resolves once the message is stored for
   * sending, not once the broker has it.
   */
  publish(object: HeaObject): Promise<void>;
}

/** Options of a {@linkcode Publisher}. */
export interface PublisherOptions {
  /** The broker URL, credentials included, such as `amqp://guest:guest@127.0.0.1:5672`. */
  readonly url: string;
  /** The topic exchange. Defaults to `hea_desktop_objects`. */
  readonly exchange?: string;
  /**
   * Whether to declare the exchange durable when it does not exist yet. An existing exchange is
   * used as it is. Defaults to `true`, because a transient exchange and its bindings vanish when
   * the broker restarts, and the broker drops messages published before subscribers bind again.
   * The Python framework declares the exchange transient, and the broker rejects a declaration
   * whose durability differs from the existing exchange. So set `false` where Python services
   * share the exchange and may declare it after this publisher.
   */
  readonly exchangeDurable?: boolean;
  /**
   * The outbox's SQLite file. Without one the outbox is in memory, and messages not yet confirmed
   * when the service stops or crashes are lost.
   */
  readonly outboxPath?: string | null;
  /** SQLite's `synchronous` setting for the outbox file; see {@linkcode OutboxOptions}. */
  readonly outboxSynchronous?: "full" | "normal";
  /** The maximum number of messages sent and not yet confirmed. Defaults to 1,000. */
  readonly maxInFlight?: number;
  /** Delays between connection attempts. */
  readonly backoff?: BackoffOptions;
  /** How long a connection attempt may take, in milliseconds. Defaults to 10,000. */
  readonly connectTimeoutMs?: number;
}

/** Options of {@linkcode Publisher.publish}. */
export interface PublishOptions {
  /** The AMQP message id. Defaults to a new UUID; pass a stable one to let consumers drop repeats. */
  readonly messageId?: string;
}

/** The result of {@linkcode Publisher.close}. */
export interface PublisherCloseResult {
  /** Whether every stored message was confirmed before the deadline. */
  readonly drained: boolean;
  /** The messages still unconfirmed: kept in a file outbox for the next start, lost in a memory one. */
  readonly pending: number;
}

type PublisherState = "idle" | "running" | "closing" | "closed";

interface PendingWrite {
  readonly message: Omit<OutboxMessage, "seq">;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

const logger = getLogger(["hea", "messaging", "publisher"]);

/**
 * Publishes desktop objects to a topic exchange, with the object's type name as the routing key
 * and its JSON as the body. Each message is persistent, carries a message id, and is stored in
 * the outbox before it is sent. It leaves the outbox only when the broker confirms it. While the
 * broker is unreachable, messages wait in the outbox and the publisher reconnects with backoff.
 * After a reconnection or a restart, every unconfirmed message is sent again in its original
 * order, so consumers may see a message twice and should drop repeats by message id.
 *
 * {@linkcode Publisher.publish} works before {@linkcode Publisher.start}: messages wait in the
 * outbox until the publisher connects.
 *
 * @example Store messages without a broker, then close
 * ```ts
 * import { Publisher } from "@hea/server/messaging";
 * import assert from "node:assert/strict";
 *
 * // Not started, so it never connects; the outbox is in memory.
 * const publisher = new Publisher({ url: "amqp://guest:guest@127.0.0.1:5672" });
 * await publisher.publish({ type: "heaobject.registry.Property", name: "x" });
 * assert.equal(publisher.pending, 1);
 * const result = await publisher.close({ timeoutMs: 0 });
 * assert.deepEqual(result, { drained: false, pending: 1 });
 * ```
 */
export class Publisher implements ObjectPublisher {
  /** The topic exchange that messages go to. */
  readonly exchange: string;
  readonly #options: PublisherOptions;
  readonly #outbox: Outbox;
  readonly #session: BrokerSession<ConfirmChannel>;
  readonly #stop = new AbortController();
  #state: PublisherState = "idle";

  #pendingWrites: PendingWrite[] = [];
  #confirmed: number[] = [];
  #flushScheduled = false;

  /** Messages sent on the current channel and not yet confirmed, by outbox position. */
  readonly #inFlight: Map<number, OutboxMessage> = new Map();
  /** The outbox position of the last message sent on the current channel. */
  #lastSentSeq = 0;
  /** The number of channels opened so far, which marks confirmations from a closed channel. */
  #generation = 0;
  #sendLoop: Promise<void> | null = null;
  #nackCount = 0;
  #closeResult: Promise<PublisherCloseResult> | null = null;
  /** Callers of {@linkcode Publisher.#waitForProgress}, resolved by {@linkcode Publisher.#wake}. */
  readonly #progressWaiters: Set<() => void> = new Set();

  /**
   * Creates a publisher and opens its outbox. It connects only when started.
   *
   * @throws {OutboxInUseError} when the outbox file is open elsewhere.
   */
  constructor(options: PublisherOptions) {
    this.#options = options;
    this.exchange = options.exchange ?? DEFAULT_EXCHANGE;
    this.#outbox = new Outbox({
      path: options.outboxPath ?? null,
      ...(options.outboxSynchronous ? { synchronous: options.outboxSynchronous } : {}),
    });
    this.#session = new BrokerSession<ConfirmChannel>({
      url: options.url,
      name: "hea publisher",
      confirm: true,
      setup: (channel, connection) => this.#setup(channel, connection),
      onOpen: () => this.#onChannelOpen(),
      onClose: () => this.#onChannelClose(),
      ...(options.backoff ? { backoff: options.backoff } : {}),
      ...(options.connectTimeoutMs ? { connectTimeoutMs: options.connectTimeoutMs } : {}),
      logger,
    });
  }

  /**
   * Creates a publisher from broker settings, such as those of {@linkcode readBrokerConfig}.
   * It ignores `config.enabled`: when that is false, give the handlers an
   * {@linkcode ObjectPublisher} whose `publish` does nothing instead.
   *
   * @example From settings
   * ```ts
   * import { Publisher, readBrokerConfig } from "@hea/server/messaging";
   * import assert from "node:assert/strict";
   *
   * const config = readBrokerConfig({ env: { HEA_AMQP_EXCHANGE: "test_exchange" } });
   * const publisher = Publisher.fromConfig(config);
   * assert.equal(publisher.exchange, "test_exchange");
   * await publisher.close();
   * ```
   */
  static fromConfig(
    config: MessageBrokerConfig,
    options: Partial<PublisherOptions> = {},
  ): Publisher {
    return new Publisher({
      url: config.url,
      exchange: config.exchange,
      exchangeDurable: config.exchangeDurable,
      outboxPath: config.outboxPath,
      ...options,
    });
  }

  /** The number of messages stored and not yet confirmed by the broker. */
  get pending(): number {
    return this.#pendingWrites.length + (this.#outbox.closed ? 0 : this.#outbox.count());
  }

  /** Whether the publisher has an open channel to the broker. */
  get connected(): boolean {
    return this.#session.channel !== null;
  }

  /** Connects in the background and sends what the outbox holds. Calling it again does nothing. */
  start(): void {
    if (this.#state !== "idle") {
      return;
    }

    this.#state = "running";
    logger.info("Starting the publisher on exchange {exchange} with {pending} pending messages", {
      exchange: this.exchange,
      pending: this.pending,
    });
    this.#session.start();
    this.#sendLoop = this.#runSendLoop();
  }

  /** Resolves when the publisher is connected, or when it closes. */
  whenConnected(): Promise<void> {
    return this.#session.whenOpen();
  }

  /**
   * Stores a message for the object; resolves once it is in the outbox. Calls made in the same
   * turn of the event loop are stored in one transaction.
   *
   * @throws {TypeError} when the object has no type name or cannot be serialized to JSON.
   * @throws {Error} when the publisher is closing or closed.
   */
  publish(object: HeaObject, options: PublishOptions = {}): Promise<void> {
    if (this.#state === "closing" || this.#state === "closed") {
      return Promise.reject(
        new Error("The publisher is closed; publish before closing it, or create a new Publisher"),
      );
    }
    if (typeof object.type !== "string" || object.type === "") {
      return Promise.reject(
        new TypeError(
          "The object has no type name; set its type, such as heaobject.registry.Property",
        ),
      );
    }

    // Serialize now, so that later changes to the object do not change the message.
    let body: string;
    try {
      body = JSON.stringify(object);
    } catch (error) {
      return Promise.reject(
        new TypeError(
          `Failed to serialize the ${object.type} object to JSON: ${
            messageOf(error)
          }; remove cycles and BigInt values`,
          { cause: error },
        ),
      );
    }

    const message = {
      id: options.messageId ?? crypto.randomUUID(),
      exchange: this.exchange,
      routingKey: object.type,
      body,
      created: new Date().toISOString(),
    };

    return new Promise((resolve, reject) => {
      this.#pendingWrites.push({ message, resolve, reject });
      this.#scheduleFlush();
    });
  }

  /**
   * Waits until the broker has confirmed every stored message, or until `timeoutMs` passes.
   * Returns whether the outbox is empty; without waiting when the publisher is not started.
   */
  async flush(timeoutMs: number = 30_000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;

    while (this.pending > 0 && this.#state === "running") {
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        break;
      }
      await this.#waitForProgress(remaining);
    }

    return this.pending === 0;
  }

  /**
   * Stops accepting messages, waits up to `timeoutMs` (default 10,000) for the broker to confirm
   * the stored ones, then disconnects and closes the outbox. Messages still unconfirmed stay in a
   * file outbox for the next start; an in-memory outbox loses them, and this is logged as an error.
   * Later calls return the result of the first.
   */
  close(options: { readonly timeoutMs?: number } = {}): Promise<PublisherCloseResult> {
    this.#closeResult ??= this.#close(options.timeoutMs ?? 10_000);

    return this.#closeResult;
  }

  async #close(timeoutMs: number): Promise<PublisherCloseResult> {
    const wasRunning = this.#state === "running";
    this.#state = "closing";
    this.#flushWrites();

    let drained = this.#outbox.count() === 0;
    if (wasRunning && !drained) {
      logger.info("Draining {pending} messages before closing the publisher", {
        pending: this.pending,
      });
      drained = await this.#drain(timeoutMs);
    }

    this.#state = "closed";
    this.#stop.abort();
    this.#wake();
    await this.#sendLoop;
    await this.#session.close();

    this.#flushConfirmed();
    const pending = this.#outbox.count();
    this.#outbox.close();

    if (pending === 0) {
      logger.info("Closed the publisher with every message confirmed");
    } else if (this.#outbox.persistent) {
      logger.warn(
        "Closed the publisher with {pending} unconfirmed messages kept in {path} for the next start",
        {
          pending,
          path: this.#outbox.path,
        },
      );
    }

    return { drained: pending === 0 && drained, pending };
  }

  async #setup(channel: ConfirmChannel, connection: ChannelModel): Promise<void> {
    await declareExchange(
      channel,
      connection,
      this.exchange,
      this.#options.exchangeDurable ?? true,
    );
  }

  #onChannelOpen(): void {
    // Everything unconfirmed is sent again from the oldest, in order, on the new channel.
    this.#generation += 1;
    this.#inFlight.clear();
    this.#lastSentSeq = 0;
    this.#wake();
  }

  #onChannelClose(): void {
    if (this.#inFlight.size > 0) {
      logger.warn("The channel closed with {count} unconfirmed messages; they will be sent again", {
        count: this.#inFlight.size,
      });
    }
    this.#inFlight.clear();
    this.#wake();
  }

  async #runSendLoop(): Promise<void> {
    const maxInFlight = this.#options.maxInFlight ?? 1_000;

    while (this.#state === "running" || this.#state === "closing") {
      const channel = this.#session.channel;
      const room = maxInFlight - this.#inFlight.size;
      const batch = channel !== null && room > 0
        ? this.#outbox.peek(this.#lastSentSeq, Math.min(room, 500))
        : [];

      if (channel === null || batch.length === 0) {
        await this.#waitForProgress();
        continue;
      }

      const outcome = this.#sendBatch(channel, batch);
      if (outcome === "full") {
        // amqplib's write buffer is full: wait until it drains or the channel closes.
        await waitForDrain(channel, this.#stop.signal);
      } else if (outcome === "failed") {
        // The channel is closing, and its close event will reset the state: wait for that.
        await this.#waitForProgress(100);
      }
    }
  }

  /** Sends messages in order until one fails or amqplib's write buffer fills. */
  #sendBatch(channel: ConfirmChannel, batch: readonly OutboxMessage[]): "sent" | "full" | "failed" {
    const generation = this.#generation;

    for (const message of batch) {
      let ready: boolean;
      try {
        ready = channel.publish(
          message.exchange,
          message.routingKey,
          toBuffer(message.body),
          {
            persistent: true,
            messageId: message.id,
            contentType: "application/json",
            type: message.routingKey,
            timestamp: Math.floor(Date.parse(message.created) / 1000),
          },
          (error: unknown) => this.#onConfirm(generation, message, error),
        );
      } catch (error) {
        // amqplib throws once the channel is closed; the message stays in the outbox and is
        // sent again on the next channel.
        logger.warn(
          "Failed to send message {id}: {error}; it will be sent again after reconnecting",
          {
            id: message.id,
            error: messageOf(error),
          },
        );
        return "failed";
      }

      this.#inFlight.set(message.seq, message);
      this.#lastSentSeq = message.seq;
      if (!ready) {
        return "full";
      }
    }

    return "sent";
  }

  #onConfirm(generation: number, message: OutboxMessage, error: unknown): void {
    if (error === null || error === undefined) {
      // A confirmation from a channel since closed still means the broker has the message.
      this.#confirmed.push(message.seq);
      if (generation === this.#generation) {
        this.#inFlight.delete(message.seq);
      }
      this.#scheduleFlush();
      return;
    }

    // amqplib reports a closing channel through the same callback. Its close event is fully
    // dispatched before a microtask runs, so by then the session has dropped the channel.
    queueMicrotask(() => {
      if (generation !== this.#generation || this.#session.channel === null) {
        // The channel closed: the message is sent again on the next one.
        return;
      }
      this.#onNack(generation, message);
    });
  }

  /** Sends again from a message that the broker rejected, in order, after a pause. */
  #onNack(generation: number, message: OutboxMessage): void {
    this.#nackCount += 1;
    logger.warn("The broker rejected message {id} (rejection {count}); sending it again", {
      id: message.id,
      count: this.#nackCount,
    });
    this.#inFlight.delete(message.seq);

    // The pause keeps a broker that refuses every message from being flooded.
    const delay = backoffDelay(this.#options.backoff ?? {}, Math.min(this.#nackCount, 8));
    void sleep(delay, this.#stop.signal).then(() => {
      if (generation === this.#generation) {
        this.#lastSentSeq = Math.min(this.#lastSentSeq, message.seq - 1);
        this.#wake();
      }
    });
  }

  #scheduleFlush(): void {
    if (this.#flushScheduled) {
      return;
    }

    // setImmediate, not a microtask: a caller that awaits publish() in a loop would otherwise
    // never yield to I/O, so nothing would be sent or confirmed until its loop ended.
    this.#flushScheduled = true;
    setImmediate(() => {
      this.#flushScheduled = false;
      this.#flushWrites();
      this.#flushConfirmed();
    });
  }

  /** Stores the waiting publish calls in one transaction and settles their promises. */
  #flushWrites(): void {
    const writes = this.#pendingWrites.splice(0);
    if (writes.length === 0) {
      return;
    }

    try {
      this.#outbox.addAll(writes.map((write) => write.message));
    } catch (error) {
      for (const write of writes) {
        logger.error("Failed to store message {id} in the outbox: {error}", {
          id: write.message.id,
          error: messageOf(error),
        });
        write.reject(error);
      }
      return;
    }

    for (const write of writes) {
      write.resolve();
    }
    this.#wake();
  }

  /** Removes confirmed messages from the outbox in one transaction. */
  #flushConfirmed(): void {
    const confirmed = this.#confirmed.splice(0);
    if (confirmed.length === 0 || this.#outbox.closed) {
      return;
    }

    try {
      this.#outbox.remove(confirmed);
    } catch (error) {
      // The rows stay, so these messages are sent again after a restart: a duplicate, not a loss.
      logger.error("Failed to remove {count} confirmed messages from the outbox: {error}", {
        count: confirmed.length,
        error: messageOf(error),
      });
    }
    this.#wake();
  }

  /** Resolves at the next change (a stored, sent or confirmed message, a reconnection, closing) or after `timeoutMs`. */
  #waitForProgress(timeoutMs?: number): Promise<void> {
    return new Promise((resolve) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const done = (): void => {
        clearTimeout(timer);
        this.#progressWaiters.delete(done);
        resolve();
      };
      this.#progressWaiters.add(done);
      if (timeoutMs !== undefined) {
        timer = setTimeout(done, timeoutMs);
      }
    });
  }

  #wake(): void {
    for (const waiter of [...this.#progressWaiters]) {
      waiter();
    }
  }

  async #drain(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;

    while (this.#outbox.count() > 0) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        logger.warn(
          "Timed out after {timeout} ms draining the publisher with {pending} messages unconfirmed",
          {
            timeout: timeoutMs,
            pending: this.#outbox.count(),
          },
        );
        return false;
      }
      await this.#waitForProgress(remaining);
      this.#flushConfirmed();
    }

    return true;
  }
}

/** Resolves when the channel's write buffer drains, the channel closes, or `signal` aborts. */
function waitForDrain(channel: ConfirmChannel, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      channel.off("drain", done);
      channel.off("close", done);
      signal.removeEventListener("abort", done);
      resolve();
    };
    channel.once("drain", done);
    channel.once("close", done);
    signal.addEventListener("abort", done, { once: true });
  });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
