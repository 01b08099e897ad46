import assert from "node:assert/strict";
import { defineDesktopObjectType, type HeaObject, TypeRegistry } from "../objects/mod.ts";
import { integrationServer } from "../testing/integration.ts";
import { Publisher } from "./publisher.ts";
import { type Delivery, type FailurePolicy, Subscriber } from "./subscriber.ts";
import {
  deleteTopology,
  drainQueue,
  pollQueue,
  publishRaw,
  uniqueName,
  waitUntil,
} from "./testdata/broker_helpers.ts";

const broker = integrationServer("HEA_TEST_AMQP_URL", "scripts/start_rabbitmq.sh");

const Folder = defineDesktopObjectType({ name: "example.Folder", displayName: "Folder" });
const Album = defineDesktopObjectType({
  name: "example.Album",
  displayName: "Album",
  supertype: "example.Folder",
});
const Note = defineDesktopObjectType({ name: "example.Note", displayName: "Note" });
const registry = new TypeRegistry([Folder, Album, Note]);

interface Received {
  readonly object: HeaObject;
  readonly delivery: Delivery;
}

/** Runs `work` with a publisher and a subscriber on a fresh exchange, then removes what they declared. */
async function withSubscriber(
  options: {
    readonly topics?: readonly string[];
    readonly queue?: string;
    readonly failurePolicy?: FailurePolicy;
    readonly handler?: (object: HeaObject, delivery: Delivery) => Promise<void>;
  },
  work: (context: {
    readonly exchange: string;
    readonly publisher: Publisher;
    readonly subscriber: Subscriber;
    readonly received: Received[];
  }) => Promise<void>,
): Promise<void> {
  const exchange = uniqueName("subscriber");
  const received: Received[] = [];
  const subscriber = new Subscriber({
    url: broker.url,
    exchange,
    registry,
    topics: options.topics ?? ["example.Folder"],
    ...(options.queue ? { queue: options.queue } : {}),
    ...(options.failurePolicy ? { failurePolicy: options.failurePolicy } : {}),
    onMessage: async (object, delivery) => {
      received.push({ object, delivery });
      await options.handler?.(object, delivery);
    },
  });
  const publisher = new Publisher({ url: broker.url, exchange });

  try {
    subscriber.start();
    await subscriber.whenReady();
    publisher.start();
    await work({ exchange, publisher, subscriber, received });
  } finally {
    await publisher.close();
    await subscriber.close();
    await deleteTopology(broker.url, {
      queues: [subscriber.deadLetterQueue, ...(options.queue ? [options.queue] : [])],
      exchanges: [exchange, subscriber.deadLetterExchange],
    });
  }
}

Deno.test("subscriber rejects invalid options", () => {
  const base = {
    url: "amqp://guest:guest@127.0.0.1:5672",
    registry,
    onMessage: () => Promise.resolve(),
  };

  assert.throws(() => new Subscriber({ ...base, topics: [] }), /at least one topic/);
  assert.throws(
    () => new Subscriber({ ...base, topics: ["example.Note"], prefetch: 0 }),
    /Invalid prefetch 0/,
  );
  assert.throws(
    () =>
      new Subscriber({
        ...base,
        topics: ["example.Note"],
        failurePolicy: { kind: "requeue", maxAttempts: 0 },
      }),
    /Invalid maxAttempts 0/,
  );
});

Deno.test("subscriber binds subtypes and patterns", async () => {
  const subscriber = new Subscriber({
    url: "amqp://guest:guest@127.0.0.1:5672",
    registry,
    topics: ["example.Folder", "other.#", "example.Unregistered"],
    onMessage: () => Promise.resolve(),
  });

  assert.deepEqual(subscriber.routingKeys(), [
    "example.Album",
    "example.Folder",
    "example.Unregistered",
    "other.#",
  ]);
  assert.equal(subscriber.deadLetterExchange, "hea_desktop_objects.dead_letter");
  assert.equal(subscriber.deadLetterQueue, "hea_desktop_objects.dead_letter");
  await subscriber.close();
});

Deno.test({
  name: "subscriber receives a type and its subtypes",
  ignore: broker.ignore,
  fn: async () => {
    await withSubscriber({}, async ({ publisher, received }) => {
      await publisher.publish({ type: "example.Note", n: 1 });
      await publisher.publish({ type: "example.Folder", n: 2 });
      await publisher.publish({ type: "example.Album", n: 3 });
      await publisher.flush(10_000);
      await waitUntil(
        () => received.length >= 2,
        10_000,
        () => `2 deliveries; got ${received.length}`,
      );
      // Give a wrongly routed Note time to arrive.
      await new Promise((resolve) => setTimeout(resolve, 200));

      assert.deepEqual(received.map((r) => r.object.n), [2, 3]);
      assert.equal(received[1]!.delivery.type, Album);
      assert.equal(received[1]!.delivery.routingKey, "example.Album");
      assert.equal(received[1]!.delivery.attempt, 1);
      assert.match(received[1]!.delivery.messageId ?? "", /^[0-9a-f-]{36}$/);
    });
  },
});

Deno.test({
  name: "subscriber retries a failing handler",
  ignore: broker.ignore,
  fn: async () => {
    const queue = uniqueName("retry");
    let calls = 0;
    await withSubscriber(
      {
        queue,
        failurePolicy: { kind: "requeue", maxAttempts: 3, delayMs: 10 },
        handler: () => {
          calls += 1;
          return calls < 3 ? Promise.reject(new Error(`failure ${calls}`)) : Promise.resolve();
        },
      },
      async ({ publisher, subscriber, received }) => {
        await publisher.publish({ type: "example.Folder" });
        await waitUntil(() => calls >= 3, 10_000, () => `3 handler calls; got ${calls}`);
        await new Promise((resolve) => setTimeout(resolve, 200));

        assert.deepEqual(received.map((r) => r.delivery.attempt), [1, 2, 3]);
        assert.equal(received[1]!.delivery.redelivered, true);
        assert.equal((await drainQueue(broker.url, subscriber.deadLetterQueue)).length, 0);
      },
    );

    assert.equal(calls, 3);
  },
});

Deno.test({
  name: "subscriber dead-letters after the retry limit",
  ignore: broker.ignore,
  fn: async () => {
    let calls = 0;
    await withSubscriber(
      {
        failurePolicy: { kind: "requeue", maxAttempts: 2, delayMs: 10 },
        handler: () => {
          calls += 1;
          return Promise.reject(new Error("always fails"));
        },
      },
      async ({ publisher, subscriber }) => {
        await publisher.publish({ type: "example.Folder", n: 7 }, { messageId: "folder-7" });
        await waitUntil(() => calls >= 2, 10_000, () => `2 handler calls; got ${calls}`);

        const dead = await pollQueue(broker.url, subscriber.deadLetterQueue, 1);

        assert.equal(calls, 2);
        assert.equal(dead.length, 1);
        assert.equal(dead[0]!.properties.messageId, "folder-7");
        assert.equal(JSON.parse(dead[0]!.content.toString("utf8")).n, 7);
      },
    );
  },
});

Deno.test({
  name: "subscriber dead-letters at first failure",
  ignore: broker.ignore,
  fn: async () => {
    let calls = 0;
    await withSubscriber(
      {
        failurePolicy: { kind: "dead-letter" },
        handler: () => {
          calls += 1;
          return Promise.reject(new Error("fails"));
        },
      },
      async ({ publisher, subscriber }) => {
        await publisher.publish({ type: "example.Folder" }, { messageId: "folder-1" });

        const dead = await pollQueue(broker.url, subscriber.deadLetterQueue, 1);

        assert.equal(calls, 1);
        assert.equal(dead[0]!.properties.messageId, "folder-1");
      },
    );
  },
});

Deno.test({
  name: "subscriber dead-letters malformed messages",
  ignore: broker.ignore,
  fn: async () => {
    await withSubscriber(
      { topics: ["example.Folder", "example.#"] },
      async ({ exchange, subscriber, received }) => {
        await publishRaw(broker.url, exchange, "example.Folder", "{not json", "bad-json");
        await publishRaw(broker.url, exchange, "example.Folder", "[1, 2]", "not-object");
        await publishRaw(broker.url, exchange, "example.Folder", '{"name": "x"}', "no-type");
        await publishRaw(
          broker.url,
          exchange,
          "example.Ghost",
          '{"type": "example.Ghost"}',
          "unknown-type",
        );

        const dead = await pollQueue(broker.url, subscriber.deadLetterQueue, 4);

        assert.deepEqual(dead.map((message) => message.properties.messageId).sort(), [
          "bad-json",
          "no-type",
          "not-object",
          "unknown-type",
        ]);
        assert.equal(received.length, 0);
      },
    );
  },
});

Deno.test({
  name: "subscriber queue keeps messages while away",
  ignore: broker.ignore,
  fn: async () => {
    const exchange = uniqueName("durable");
    const queue = uniqueName("durable");
    const received: number[] = [];
    const options = {
      url: broker.url,
      exchange,
      queue,
      registry,
      topics: ["example.Folder"],
      onMessage: (object: HeaObject) => {
        received.push(object.n as number);
        return Promise.resolve();
      },
    };
    const first = new Subscriber(options);
    const publisher = new Publisher({ url: broker.url, exchange });

    try {
      first.start();
      await first.whenReady();
      await first.close();

      publisher.start();
      await publisher.publish({ type: "example.Folder", n: 1 });
      await publisher.publish({ type: "example.Folder", n: 2 });
      assert.equal(await publisher.flush(10_000), true);

      const second = new Subscriber(options);
      second.start();
      await waitUntil(
        () => received.length >= 2,
        10_000,
        () => `2 deliveries; got ${received.length}`,
      );
      await second.close();

      assert.deepEqual(received, [1, 2]);
    } finally {
      await publisher.close();
      await deleteTopology(broker.url, {
        queues: [queue, first.deadLetterQueue],
        exchanges: [exchange, first.deadLetterExchange],
      });
    }
  },
});

Deno.test({
  name: "subscriber runs prefetched handlers concurrently",
  ignore: broker.ignore,
  fn: async () => {
    const exchange = uniqueName("prefetch");
    let running = 0;
    let maxRunning = 0;
    let done = 0;
    const subscriber = new Subscriber({
      url: broker.url,
      exchange,
      registry,
      topics: ["example.Folder"],
      prefetch: 4,
      onMessage: async () => {
        running += 1;
        maxRunning = Math.max(maxRunning, running);
        await new Promise((resolve) => setTimeout(resolve, 50));
        running -= 1;
        done += 1;
      },
    });
    const publisher = new Publisher({ url: broker.url, exchange });

    try {
      subscriber.start();
      await subscriber.whenReady();
      publisher.start();
      await Promise.all(
        Array.from({ length: 12 }, () => publisher.publish({ type: "example.Folder" })),
      );
      await waitUntil(() => done >= 12, 10_000, () => `12 handled; got ${done}`);

      assert.equal(maxRunning, 4);
    } finally {
      await publisher.close();
      await subscriber.close();
      await deleteTopology(broker.url, {
        queues: [subscriber.deadLetterQueue],
        exchanges: [exchange, subscriber.deadLetterExchange],
      });
    }
  },
});
