import assert from "node:assert/strict";
import { configure, type LogRecord, reset } from "@logtape/logtape";
import { connect } from "amqplib";
import { integrationServer } from "../testing/integration.ts";
import { Outbox } from "./outbox.ts";
import { OutboxInUseError } from "./outbox_in_use_error.ts";
import { Publisher } from "./publisher.ts";
import {
  closedPort,
  deleteTopology,
  RawConsumer,
  uniqueName,
  waitUntil,
} from "./testdata/broker_helpers.ts";

const broker = integrationServer("HEA_TEST_AMQP_URL", "scripts/start_rabbitmq.sh");

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const FAST_BACKOFF = { initialDelayMs: 50, maxDelayMs: 500 };

async function withTempDir(work: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "hea_publisher_test_" });
  try {
    await work(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("publisher rejects objects without a type", async () => {
  const publisher = new Publisher({ url: "amqp://guest:guest@127.0.0.1:5672" });

  await assert.rejects(publisher.publish({ type: "" }), TypeError);
  await assert.rejects(publisher.publish({} as { type: string }), /no type name/);
  await publisher.close();
});

Deno.test("publisher rejects unserializable objects", async () => {
  const publisher = new Publisher({ url: "amqp://guest:guest@127.0.0.1:5672" });
  const cyclic: Record<string, unknown> & { type: string } = { type: "example.Note" };
  cyclic.self = cyclic;

  await assert.rejects(publisher.publish(cyclic), /Failed to serialize the example\.Note object/);
  await assert.rejects(publisher.publish({ type: "example.Note", size: 1n }), TypeError);
  assert.equal(publisher.pending, 0);
  await publisher.close();
});

Deno.test("publisher rejects publishing after close", async () => {
  const publisher = new Publisher({ url: "amqp://guest:guest@127.0.0.1:5672" });
  await publisher.close();

  await assert.rejects(publisher.publish({ type: "example.Note" }), /publisher is closed/);
  assert.deepEqual(await publisher.close(), { drained: true, pending: 0 });
});

Deno.test("publisher stores a copy of the object", async () => {
  await withTempDir(async (dir) => {
    const path = `${dir}/outbox.db`;
    const publisher = new Publisher({ url: "amqp://guest:guest@127.0.0.1:5672", outboxPath: path });
    const object = { type: "example.Note", text: "before" };

    const stored = publisher.publish(object);
    object.text = "after";
    await stored;
    await publisher.close({ timeoutMs: 0 });

    const reopened = new Outbox({ path });
    const [message] = reopened.peek(0, 1);
    reopened.close();
    assert.equal(JSON.parse(message!.body).text, "before");
    assert.equal(message!.routingKey, "example.Note");
  });
});

Deno.test("publisher rejects a shared outbox file", async () => {
  await withTempDir(async (dir) => {
    const path = `${dir}/outbox.db`;
    const first = new Publisher({ url: "amqp://guest:guest@127.0.0.1:5672", outboxPath: path });

    try {
      assert.throws(
        () => new Publisher({ url: "amqp://guest:guest@127.0.0.1:5672", outboxPath: path }),
        OutboxInUseError,
      );
    } finally {
      await first.close();
    }
  });
});

Deno.test("publisher keeps messages while the broker is unreachable", async () => {
  await withTempDir(async (dir) => {
    const path = `${dir}/outbox.db`;
    const publisher = new Publisher({
      url: `amqp://guest:guest@127.0.0.1:${closedPort()}`,
      outboxPath: path,
      backoff: FAST_BACKOFF,
    });
    publisher.start();

    await Promise.all([1, 2, 3].map((n) => publisher.publish({ type: "example.Note", n })));
    const flushed = await publisher.flush(300);
    const result = await publisher.close({ timeoutMs: 200 });

    assert.equal(flushed, false);
    assert.equal(publisher.connected, false);
    assert.deepEqual(result, { drained: false, pending: 3 });
  });
});

Deno.test("publisher never logs the password", async () => {
  const records: LogRecord[] = [];
  await configure({
    sinks: { memory: (record) => records.push(record) },
    loggers: [
      { category: ["hea", "messaging"], lowestLevel: "debug", sinks: ["memory"] },
      { category: ["logtape", "meta"], lowestLevel: "warning", sinks: [] },
    ],
  });

  try {
    const publisher = new Publisher({
      url: `amqp://hea:topsecret@127.0.0.1:${closedPort()}`,
      backoff: FAST_BACKOFF,
    });
    publisher.start();
    await waitUntil(
      () => records.some((record) => record.rawMessage.toString().includes("Failed to connect")),
      5_000,
      () => "a connection failure in the log",
    );
    await publisher.close({ timeoutMs: 0 });
  } finally {
    await reset();
  }

  const logged = records.map((record) => JSON.stringify([record.message, record.properties]));
  assert.ok(logged.some((line) => line.includes("hea:***@127.0.0.1")));
  assert.ok(logged.every((line) => !line.includes("topsecret")));
});

Deno.test({
  name: "publisher sends persistent messages with ids",
  ignore: broker.ignore,
  fn: async () => {
    const exchange = uniqueName("publisher");
    const consumer = await RawConsumer.open(broker.url, exchange);
    const publisher = new Publisher({ url: broker.url, exchange });

    try {
      publisher.start();
      const note = { type: "example.Note", text: "hello" };
      await publisher.publish(note);
      await publisher.publish({ type: "example.Folder", name: "f" });
      await consumer.waitFor(2);

      const [first, second] = consumer.messages;
      assert.equal(first!.fields.routingKey, "example.Note");
      assert.equal(second!.fields.routingKey, "example.Folder");
      assert.deepEqual(JSON.parse(first!.content.toString("utf8")), note);
      assert.equal(first!.properties.deliveryMode, 2);
      assert.equal(first!.properties.contentType, "application/json");
      assert.match(first!.properties.messageId, UUID);
      assert.notEqual(first!.properties.messageId, second!.properties.messageId);
    } finally {
      await publisher.close();
      await consumer.close();
      await deleteTopology(broker.url, { exchanges: [exchange] });
    }
  },
});

Deno.test({
  name: "publisher uses a given message id",
  ignore: broker.ignore,
  fn: async () => {
    const exchange = uniqueName("publisher");
    const consumer = await RawConsumer.open(broker.url, exchange);
    const publisher = new Publisher({ url: broker.url, exchange });

    try {
      publisher.start();
      await publisher.publish({ type: "example.Note" }, { messageId: "note-1" });
      await consumer.waitFor(1);

      assert.equal(consumer.messages[0]!.properties.messageId, "note-1");
    } finally {
      await publisher.close();
      await consumer.close();
      await deleteTopology(broker.url, { exchanges: [exchange] });
    }
  },
});

Deno.test({
  name: "publisher sends in publishing order",
  ignore: broker.ignore,
  fn: async () => {
    const exchange = uniqueName("publisher");
    const consumer = await RawConsumer.open(broker.url, exchange);
    const publisher = new Publisher({ url: broker.url, exchange, maxInFlight: 50 });

    try {
      // Stored before the start, so the first sends come from the outbox.
      const stored = Array.from(
        { length: 500 },
        (_, n) => publisher.publish({ type: "example.Note", n }),
      );
      await Promise.all(stored);
      publisher.start();
      for (let n = 500; n < 1_000; n++) {
        await publisher.publish({ type: "example.Note", n });
      }
      await consumer.waitFor(1_000);

      assert.deepEqual(
        consumer.bodies().map((body) => body.n),
        Array.from({ length: 1_000 }, (_, n) => n),
      );
    } finally {
      await publisher.close();
      await consumer.close();
      await deleteTopology(broker.url, { exchanges: [exchange] });
    }
  },
});

Deno.test({
  name: "publisher sends pending messages after restart",
  ignore: broker.ignore,
  fn: async () => {
    const exchange = uniqueName("publisher");
    const consumer = await RawConsumer.open(broker.url, exchange);

    try {
      await withTempDir(async (dir) => {
        const path = `${dir}/outbox.db`;
        const before = new Publisher({ url: broker.url, exchange, outboxPath: path });
        for (let n = 0; n < 100; n++) {
          await before.publish({ type: "example.Note", n });
        }
        const closed = await before.close({ timeoutMs: 0 });

        const after = new Publisher({ url: broker.url, exchange, outboxPath: path });
        after.start();
        const flushed = await after.flush(20_000);
        const result = await after.close();

        assert.deepEqual(closed, { drained: false, pending: 100 });
        assert.equal(flushed, true);
        assert.deepEqual(result, { drained: true, pending: 0 });
      });
      await consumer.waitFor(100);

      assert.deepEqual(
        consumer.bodies().map((body) => body.n),
        Array.from({ length: 100 }, (_, n) => n),
      );
    } finally {
      await consumer.close();
      await deleteTopology(broker.url, { exchanges: [exchange] });
    }
  },
});

Deno.test({
  name: "publisher close drains the outbox",
  ignore: broker.ignore,
  fn: async () => {
    const exchange = uniqueName("publisher");
    const consumer = await RawConsumer.open(broker.url, exchange);

    try {
      await withTempDir(async (dir) => {
        const publisher = new Publisher({
          url: broker.url,
          exchange,
          outboxPath: `${dir}/outbox.db`,
        });
        publisher.start();
        await Promise.all(
          Array.from({ length: 2_000 }, (_, n) => publisher.publish({ type: "example.Note", n })),
        );

        const result = await publisher.close({ timeoutMs: 20_000 });

        assert.deepEqual(result, { drained: true, pending: 0 });
      });
      await consumer.waitFor(2_000);

      assert.equal(consumer.messages.length, 2_000);
    } finally {
      await consumer.close();
      await deleteTopology(broker.url, { exchanges: [exchange] });
    }
  },
});

Deno.test({
  name: "publisher uses an existing exchange as it is",
  ignore: broker.ignore,
  fn: async () => {
    const exchange = uniqueName("publisher");
    // A transient exchange, as the Python framework declares it: a durable declaration would fail.
    const connection = await connect(broker.url);
    const channel = await connection.createChannel();
    await channel.assertExchange(exchange, "topic", { durable: false });
    await connection.close();

    const publisher = new Publisher({ url: broker.url, exchange, exchangeDurable: true });
    try {
      publisher.start();
      await publisher.publish({ type: "example.Note" });

      assert.equal(await publisher.flush(10_000), true);
      assert.equal(publisher.connected, true);
    } finally {
      await publisher.close();
      await deleteTopology(broker.url, { exchanges: [exchange] });
    }
  },
});
