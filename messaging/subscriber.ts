/**
 * The subscriber: receives desktop objects of chosen types from the broker's topic exchange,
 * acknowledges each only after its handler succeeds, and dead-letters what it cannot handle.
 *
 * @module
 */

import { createHash } from "node:crypto";
import type { Channel, ChannelModel, ConsumeMessage } from "amqplib";
import { getLogger } from "@logtape/logtape";
import type { HeaObject, ObjectType, TypeRegistry } from "../objects/mod.ts";
import { sleep } from "./_backoff.ts";
import type { BackoffOptions } from "./backoff_options.ts";
import { BrokerSession } from "./_broker_session.ts";
import { declareExchange } from "./_exchange.ts";
import { DEFAULT_EXCHANGE } from "./broker_config.ts";

/**
 * The handling of a message whose handler failed.
 *
 * - `requeue`: returns the message to the queue after `delayMs` (default 1,000) so that it is
 *   delivered again, up to `maxAttempts` deliveries in all. The last failure dead-letters it.
 * - `dead-letter`: dead-letters the message at its first failure.
 */
export type FailurePolicy =
  | { readonly kind: "requeue"; readonly maxAttempts: number; readonly delayMs?: number }
  | { readonly kind: "dead-letter" };

/** Facts about one delivery that a handler may need. */
export interface Delivery {
  /** The AMQP message id, or `null` when the publisher set none, as the Python framework does. */
  readonly messageId: string | null;
  /** The routing key: the type name the message was published under. */
  readonly routingKey: string;
  /** Whether the broker delivered the message before, to this or another consumer. */
  readonly redelivered: boolean;
  /** The delivery's number among this subscriber's attempts at the message, from 1. */
  readonly attempt: number;
  /** The registered type of the object. */
  readonly type: ObjectType;
}

/** A function that handles one received object. Its promise must reject for the message to be retried. */
export type MessageHandler = (object: HeaObject, delivery: Delivery) => Promise<void>;

/** Options of a {@linkcode Subscriber}. */
export interface SubscriberOptions {
  /** The broker URL, credentials included, such as `amqp://guest:guest@127.0.0.1:5672`. */
  readonly url: string;
  /** The topic exchange. Defaults to `hea_desktop_objects`. */
  readonly exchange?: string;
  /** Whether to declare the exchange durable when it does not exist yet. Defaults to `true`. */
  readonly exchangeDurable?: boolean;
  /** The registry that resolves type names and their subtypes. */
  readonly registry: TypeRegistry;
  /**
   * The type names to receive. Each also receives the subtypes that `registry` has when the
   * subscriber connects. A topic with `*` or `#` is bound as an AMQP pattern as it is, and then any
   * registered type is accepted.
   */
  readonly topics: readonly string[];
  /** Handles each object; the message is acknowledged when its promise resolves. */
  readonly onMessage: MessageHandler;
  /**
   * A durable queue to consume from, which keeps messages while the subscriber is away. Without
   * one, the broker names an exclusive queue that lives as long as the connection, as in the
   * Python framework, so messages published while the subscriber is disconnected are not received.
   */
  readonly queue?: string;
  /**
   * How many unacknowledged messages the broker delivers at once. Defaults to 1. Handlers of that
   * many messages run concurrently, so only 1 keeps messages in order.
   */
  readonly prefetch?: number;
  /** The handling of a failed handler. Defaults to requeueing up to 3 deliveries. */
  readonly failurePolicy?: FailurePolicy;
  /** The exchange that dead letters go to. Defaults to the exchange's name with `.dead_letter`. */
  readonly deadLetterExchange?: string;
  /**
   * The durable queue that keeps dead letters for inspection. Defaults to the queue's name with
   * `.dead_letter`, or the exchange's without a queue.
   */
  readonly deadLetterQueue?: string;
  /** Delays between connection attempts. */
  readonly backoff?: BackoffOptions;
  /** How long a connection attempt may take, in milliseconds. Defaults to 10,000. */
  readonly connectTimeoutMs?: number;
}

const DEFAULT_FAILURE_POLICY: FailurePolicy = { kind: "requeue", maxAttempts: 3 };

/** The maximum number of failing messages whose attempts are tracked. The oldest are dropped first. */
const MAX_TRACKED_FAILURES = 10_000;

/** The header in which the broker counts deliveries of a message on quorum queues. */
const DELIVERY_COUNT_HEADER = "x-delivery-count";

const logger = getLogger(["hea", "messaging", "subscriber"]);

/**
 * Receives objects published on a topic exchange. It binds a queue to each topic's type name and
 * its registered subtypes, and acknowledges a message only after `onMessage` resolves. A failed
 * handler is retried or dead-lettered as `failurePolicy` sets, never acknowledged. Malformed
 * messages (a body that is not a JSON object with a `type`, or a type that is not registered or
 * not subscribed) are logged with their message id and dead-lettered. The subscriber reconnects
 * with backoff after any connection loss and then binds again.
 *
 * A message is delivered again when the connection drops before its acknowledgement, and
 * publishers send again what the broker did not confirm, so handlers should tolerate repeats,
 * for example by remembering message ids.
 *
 * @example Which routing keys a subscriber binds
 * ```ts
 * import { Subscriber } from "@hea/server/messaging";
 * import { defineDesktopObjectType, TypeRegistry } from "@hea/server/objects";
 * import assert from "node:assert/strict";
 *
 * const Folder = defineDesktopObjectType({ name: "example.Folder", displayName: "Folder" });
 * const Album = defineDesktopObjectType({
 *   name: "example.Album",
 *   displayName: "Album",
 *   supertype: "example.Folder",
 * });
 * const subscriber = new Subscriber({
 *   url: "amqp://guest:guest@127.0.0.1:5672",
 *   registry: new TypeRegistry([Folder, Album]),
 *   topics: ["example.Folder"],
 *   onMessage: () => Promise.resolve(),
 * });
 * // Not started, so it never connects.
 * assert.deepEqual(subscriber.routingKeys(), ["example.Album", "example.Folder"]);
 * await subscriber.close();
 * ```
 */
export class Subscriber {
  /** The topic exchange. */
  readonly exchange: string;
  readonly #options: SubscriberOptions;
  readonly #policy: FailurePolicy;
  readonly #session: BrokerSession<Channel>;
  readonly #stop = new AbortController();
  /** Failed deliveries so far, by message id or, without one, by a hash of the body. */
  readonly #attempts: Map<string, number> = new Map();
  readonly #handlers: Set<Promise<void>> = new Set();
  #consumerTag: string | null = null;
  #closeResult: Promise<void> | null = null;

  /**
   * Creates a subscriber. It connects only when started.
   *
   * @throws {RangeError} when there is no topic, or `prefetch` or `maxAttempts` is below 1.
   */
  constructor(options: SubscriberOptions) {
    if (options.topics.length === 0) {
      throw new RangeError("A subscriber needs at least one topic; pass the type names to receive");
    }
    const prefetch = options.prefetch ?? 1;
    if (!Number.isInteger(prefetch) || prefetch < 1) {
      throw new RangeError(`Invalid prefetch ${prefetch}: use a whole number of at least 1`);
    }
    const policy = options.failurePolicy ?? DEFAULT_FAILURE_POLICY;
    if (
      policy.kind === "requeue" && (!Number.isInteger(policy.maxAttempts) || policy.maxAttempts < 1)
    ) {
      throw new RangeError(
        `Invalid maxAttempts ${policy.maxAttempts}: use a whole number of at least 1`,
      );
    }

    this.#options = options;
    this.#policy = policy;
    this.exchange = options.exchange ?? DEFAULT_EXCHANGE;
    this.#session = new BrokerSession<Channel>({
      url: options.url,
      name: "hea subscriber",
      confirm: false,
      setup: (channel, connection) => this.#setup(channel, connection),
      onClose: () => this.#consumerTag = null,
      ...(options.backoff ? { backoff: options.backoff } : {}),
      ...(options.connectTimeoutMs ? { connectTimeoutMs: options.connectTimeoutMs } : {}),
      logger,
    });
  }

  /** The dead-letter exchange. */
  get deadLetterExchange(): string {
    return this.#options.deadLetterExchange ?? `${this.exchange}.dead_letter`;
  }

  /** The durable queue that keeps dead letters. */
  get deadLetterQueue(): string {
    return this.#options.deadLetterQueue ?? `${this.#options.queue ?? this.exchange}.dead_letter`;
  }

  /** Returns the routing keys to bind, sorted: each topic and the registered subtypes of each. */
  routingKeys(): string[] {
    const keys = new Set<string>();

    for (const topic of this.#options.topics) {
      keys.add(topic);
      if (!isPattern(topic)) {
        for (const name of this.#options.registry.subtypeNames(topic)) {
          keys.add(name);
        }
      }
    }

    return [...keys].sort();
  }

  /** Connects in the background and starts consuming. Calling it again does nothing. */
  start(): void {
    if (this.#closeResult !== null) {
      return;
    }

    logger.info("Starting the subscriber on exchange {exchange} for {topics}", {
      exchange: this.exchange,
      topics: this.#options.topics,
    });
    this.#session.start();
  }

  /** Resolves when the queue is bound and consuming, or when the subscriber closes. */
  whenReady(): Promise<void> {
    return this.#session.whenOpen();
  }

  /**
   * Stops consuming, waits up to `timeoutMs` (default 10,000) for running handlers, and
   * disconnects. The broker delivers messages whose handlers did not finish again later. Later
   * calls return the result of the first.
   */
  close(options: { readonly timeoutMs?: number } = {}): Promise<void> {
    this.#closeResult ??= this.#close(options.timeoutMs ?? 10_000);

    return this.#closeResult;
  }

  async #close(timeoutMs: number): Promise<void> {
    const channel = this.#session.channel;
    const tag = this.#consumerTag;
    if (channel !== null && tag !== null) {
      await channel.cancel(tag).catch((error: unknown) => {
        logger.warn("Failed to cancel the consumer: {error}", { error: messageOf(error) });
      });
    }

    if (this.#handlers.size > 0) {
      const timeout = new AbortController();
      const finished = Promise.all(this.#handlers).then(() => timeout.abort());
      await Promise.race([finished, sleep(timeoutMs, timeout.signal)]);
      timeout.abort();
      if (this.#handlers.size > 0) {
        logger.warn("Timed out after {timeout} ms waiting for {count} message handlers", {
          timeout: timeoutMs,
          count: this.#handlers.size,
        });
      }
    }

    this.#stop.abort();
    await this.#session.close();
    logger.info("Stopped the subscriber on exchange {exchange}", { exchange: this.exchange });
  }

  async #setup(channel: Channel, connection: ChannelModel): Promise<void> {
    const options = this.#options;

    if (this.#closeResult !== null) {
      // A reconnection while closing must not start a new consumer.
      throw new Error("the subscriber is closing");
    }

    await declareExchange(channel, connection, this.exchange, options.exchangeDurable ?? true);

    await channel.assertExchange(this.deadLetterExchange, "direct", { durable: true });
    await channel.assertQueue(this.deadLetterQueue, { durable: true });
    await channel.bindQueue(this.deadLetterQueue, this.deadLetterExchange, this.deadLetterQueue);

    const queueOptions = {
      deadLetterExchange: this.deadLetterExchange,
      deadLetterRoutingKey: this.deadLetterQueue,
    };
    const { queue } = options.queue === undefined
      ? await channel.assertQueue("", { ...queueOptions, exclusive: true, durable: false })
      : await channel.assertQueue(options.queue, { ...queueOptions, durable: true });

    for (const key of this.routingKeys()) {
      await channel.bindQueue(queue, this.exchange, key);
    }

    await channel.prefetch(options.prefetch ?? 1);
    const { consumerTag } = await channel.consume(
      queue,
      (message) => this.#onDelivery(channel, message),
    );
    this.#consumerTag = consumerTag;

    logger.info("Consuming from queue {queue} bound to {keys}", {
      queue,
      keys: this.routingKeys(),
    });
  }

  #onDelivery(channel: Channel, message: ConsumeMessage | null): void {
    if (message === null) {
      // The broker cancelled the consumer, as when the queue is deleted: set everything up again.
      this.#session.reset("the broker cancelled the consumer");
      return;
    }

    const handler = this.#handle(channel, message);
    this.#handlers.add(handler);
    void handler.finally(() => this.#handlers.delete(handler));
  }

  async #handle(channel: Channel, message: ConsumeMessage): Promise<void> {
    const messageId = typeof message.properties.messageId === "string"
      ? message.properties.messageId
      : null;
    const id = messageId ?? "(no id)";
    const routingKey = message.fields.routingKey;

    const parsed = this.#parse(message);
    if (typeof parsed === "string") {
      logger.error("Dead-lettering message {id} with routing key {routingKey}: {reason}", {
        id,
        routingKey,
        reason: parsed,
      });
      settle(channel, message, "dead-letter", id);
      return;
    }

    const key = messageId ?? `sha256:${createHash("sha256").update(message.content).digest("hex")}`;
    const attempt = Math.max((this.#attempts.get(key) ?? 0) + 1, deliveryCount(message) + 1);
    const delivery: Delivery = {
      messageId,
      routingKey,
      redelivered: message.fields.redelivered,
      attempt,
      type: parsed.type,
    };

    try {
      await this.#options.onMessage(parsed.object, delivery);
    } catch (error) {
      await this.#onFailure(channel, message, key, delivery, error);
      return;
    }

    this.#attempts.delete(key);
    settle(channel, message, "ack", id);
  }

  /** Returns the object and its type, or why the message is malformed. */
  #parse(message: ConsumeMessage): { object: HeaObject; type: ObjectType } | string {
    let body: unknown;
    try {
      body = JSON.parse(message.content.toString("utf8"));
    } catch (error) {
      return `the body is not valid JSON (${messageOf(error)})`;
    }

    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      return "the body is not a JSON object";
    }
    const typeName = (body as Record<string, unknown>).type;
    if (typeof typeName !== "string") {
      return "the object has no type name";
    }

    const registry = this.#options.registry;
    const type = registry.get(typeName);
    if (type === undefined) {
      return `type ${typeName} is not registered; register it in the subscriber's TypeRegistry`;
    }
    const subscribed = this.#options.topics.some((topic) =>
      isPattern(topic) || registry.isSubtype(typeName, topic)
    );
    if (!subscribed) {
      return `type ${typeName} is not one of the subscribed topics or their subtypes`;
    }

    return { object: body as HeaObject, type };
  }

  async #onFailure(
    channel: Channel,
    message: ConsumeMessage,
    key: string,
    delivery: Delivery,
    error: unknown,
  ): Promise<void> {
    const id = delivery.messageId ?? "(no id)";
    const policy = this.#policy;

    if (policy.kind === "requeue" && delivery.attempt < policy.maxAttempts) {
      this.#remember(key, delivery.attempt);
      logger.warn(
        "The handler failed on message {id} (attempt {attempt} of {maxAttempts}): {error}; requeueing it",
        { id, attempt: delivery.attempt, maxAttempts: policy.maxAttempts, error: messageOf(error) },
      );
      // The broker puts a requeued message back at the head of the queue: the pause keeps a
      // handler that fails at once from spinning.
      await sleep(policy.delayMs ?? 1_000, this.#stop.signal);
      settle(channel, message, "requeue", id);
      return;
    }

    this.#attempts.delete(key);
    logger.error(
      "The handler failed on message {id} (attempt {attempt}): {error}; dead-lettering it to {queue}",
      {
        id,
        attempt: delivery.attempt,
        error: messageOf(error),
        queue: this.deadLetterQueue,
      },
    );
    settle(channel, message, "dead-letter", id);
  }

  /**
   * Records a failed attempt. A requeued message may go to another consumer and never come back,
   * so the map is capped to keep such entries from piling up.
   */
  #remember(key: string, attempt: number): void {
    this.#attempts.delete(key);
    this.#attempts.set(key, attempt);

    if (this.#attempts.size > MAX_TRACKED_FAILURES) {
      const oldest = this.#attempts.keys().next().value;
      if (oldest !== undefined) {
        this.#attempts.delete(oldest);
      }
    }
  }
}

/** Acknowledges, requeues or dead-letters a message, logging a failure instead of throwing. */
function settle(
  channel: Channel,
  message: ConsumeMessage,
  outcome: "ack" | "requeue" | "dead-letter",
  id: string,
): void {
  try {
    if (outcome === "ack") {
      channel.ack(message);
    } else {
      // Without requeueing, the broker routes the message to the queue's dead-letter exchange.
      channel.nack(message, false, outcome === "requeue");
    }
  } catch (error) {
    // The channel closed since the delivery: the broker delivers the message again.
    logger.warn("Failed to {action} message {id}: {error}; the broker will deliver it again", {
      action: outcome === "ack" ? "acknowledge" : outcome,
      id,
      error: messageOf(error),
    });
  }
}

function deliveryCount(message: ConsumeMessage): number {
  const count = message.properties.headers?.[DELIVERY_COUNT_HEADER];

  return typeof count === "number" && Number.isFinite(count) ? count : 0;
}

function isPattern(topic: string): boolean {
  return topic.includes("*") || topic.includes("#");
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
