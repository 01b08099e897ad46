/**
 * Messaging on RabbitMQ: a publisher that announces changed desktop objects through a durable
 * outbox, a subscriber that receives them by type, and the activity lifecycle that records what
 * users do.
 *
 * The publisher stores each message in its outbox before sending it and removes it only after the
 * broker confirms it. With an outbox file, neither a broker outage nor a crash of the service loses
 * a message. Without one the outbox is in memory, so a restart loses the messages not yet
 * confirmed. Messages may arrive twice, so consumers should drop repeats by message id.
 *
 * @example Record an action with a publisher that has not connected yet
 * ```ts
 * import { Publisher, withActivity } from "@hea/server/messaging";
 * import assert from "node:assert/strict";
 *
 * // The outbox is in memory and the publisher is not started: messages wait in the outbox.
 * const publisher = new Publisher({ url: "amqp://guest:guest@127.0.0.1:5672" });
 * await withActivity(
 *   publisher,
 *   { code: "hea-create", user: "alice", description: "Creating a folder" },
 *   () => Promise.resolve(),
 * );
 * assert.equal(publisher.pending, 3);
 * await publisher.close({ timeoutMs: 0 });
 * ```
 *
 * @module
 */

export * from "./activity.ts";
export * from "./backoff_options.ts";
export * from "./broker_config.ts";
export * from "./desktop_object_action.ts";
export * from "./outbox.ts";
export * from "./outbox_in_use_error.ts";
export * from "./publisher.ts";
export * from "./subscriber.ts";
