/**
 * Helpers for the messaging tests that need a broker: unique names, a plain amqplib consumer that
 * records what arrives, and cleanup of what a test declared.
 *
 * @module
 */

import { Buffer } from "node:buffer";
import { type Channel, type ChannelModel, connect, type ConsumeMessage } from "amqplib";

/** Returns a name that no other test run uses, such as `hea_test_publisher_1a2b3c4d`. */
export function uniqueName(prefix: string): string {
  return `hea_test_${prefix}_${crypto.randomUUID().slice(0, 8)}`;
}

/** Returns the message id of message `n` of a loss test: a UUID that the same `n` always gets. */
export function lossMessageId(n: number): string {
  return `00000000-0000-4000-8000-${n.toString(16).padStart(12, "0")}`;
}

/** Returns a loopback port that nothing listens on, for an unreachable broker. */
export function closedPort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();

  return port;
}

/** Resolves when `condition` holds, checking every 20 ms; rejects with `description` after `timeoutMs`. */
export async function waitUntil(
  condition: () => boolean,
  timeoutMs: number,
  description: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${description()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A queue bound to an exchange with plain amqplib, which records every message it receives. */
export class RawConsumer {
  readonly messages: ConsumeMessage[] = [];
  readonly #connection: ChannelModel;
  readonly #channel: Channel;
  readonly #queue: string;

  private constructor(connection: ChannelModel, channel: Channel, queue: string) {
    this.#connection = connection;
    this.#channel = channel;
    this.#queue = queue;
  }

  /** Declares `exchange` as a durable topic exchange and an exclusive queue bound with `pattern`. */
  static async open(url: string, exchange: string, pattern = "#"): Promise<RawConsumer> {
    const connection = await connect(url);
    const channel = await connection.createChannel();
    await channel.assertExchange(exchange, "topic", { durable: true });
    const { queue } = await channel.assertQueue("", { exclusive: true });
    await channel.bindQueue(queue, exchange, pattern);

    const consumer = new RawConsumer(connection, channel, queue);
    await channel.consume(queue, (message) => {
      if (message !== null) {
        consumer.messages.push(message);
      }
    }, { noAck: true });

    return consumer;
  }

  /** Returns the bodies received so far, parsed as JSON. */
  bodies(): Array<Record<string, unknown>> {
    return this.messages.map((message) => JSON.parse(message.content.toString("utf8")));
  }

  /** Waits until `count` messages have arrived. */
  waitFor(count: number, timeoutMs = 20_000): Promise<void> {
    return waitUntil(
      () => this.messages.length >= count,
      timeoutMs,
      () => `${count} messages on ${this.#queue}; received ${this.messages.length}`,
    );
  }

  /** Closes the connection, which deletes the exclusive queue. */
  async close(): Promise<void> {
    await this.#connection.close();
  }
}

/** Publishes raw bytes to an exchange, for messages that the publisher would never send. */
export async function publishRaw(
  url: string,
  exchange: string,
  routingKey: string,
  body: string,
  messageId: string,
): Promise<void> {
  const connection = await connect(url);
  try {
    const channel = await connection.createConfirmChannel();
    channel.publish(exchange, routingKey, Buffer.from(body), { messageId, persistent: true });
    await channel.waitForConfirms();
  } finally {
    await connection.close();
  }
}

/** Reads every message in a queue without a consumer, acknowledging each. */
export async function drainQueue(url: string, queue: string): Promise<ConsumeMessage[]> {
  const connection = await connect(url);
  const messages: ConsumeMessage[] = [];
  try {
    const channel = await connection.createChannel();
    while (true) {
      const message = await channel.get(queue, { noAck: true });
      if (message === false) {
        break;
      }
      messages.push(message as unknown as ConsumeMessage);
    }
  } finally {
    await connection.close();
  }

  return messages;
}

/** Reads a queue until it has yielded `count` messages; rejects after `timeoutMs`. */
export async function pollQueue(
  url: string,
  queue: string,
  count: number,
  timeoutMs = 10_000,
): Promise<ConsumeMessage[]> {
  const deadline = Date.now() + timeoutMs;
  const messages: ConsumeMessage[] = [];

  while (messages.length < count) {
    if (Date.now() > deadline) {
      throw new Error(
        `Timed out after ${timeoutMs} ms waiting for ${count} messages in ${queue}; got ${messages.length}`,
      );
    }
    messages.push(...await drainQueue(url, queue));
    await new Promise((resolve) => setTimeout(resolve, 50));
  }

  return messages;
}

/** Deletes exchanges and queues that a test declared; missing ones are ignored. */
export async function deleteTopology(
  url: string,
  names: { readonly exchanges?: readonly string[]; readonly queues?: readonly string[] },
): Promise<void> {
  const connection = await connect(url);
  try {
    for (const queue of names.queues ?? []) {
      const channel = await connection.createChannel();
      channel.on("error", () => {});
      await channel.deleteQueue(queue).catch(() => {});
      await channel.close().catch(() => {});
    }
    for (const exchange of names.exchanges ?? []) {
      const channel = await connection.createChannel();
      channel.on("error", () => {});
      await channel.deleteExchange(exchange).catch(() => {});
      await channel.close().catch(() => {});
    }
  } finally {
    await connection.close();
  }
}
