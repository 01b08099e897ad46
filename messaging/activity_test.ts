import assert from "node:assert/strict";
import { type HeaObject, TypeRegistry } from "../objects/mod.ts";
import { integrationServer } from "../testing/integration.ts";
import { withActivity } from "./activity.ts";
import {
  ActionType,
  ActivityType,
  type DesktopObjectAction,
  DesktopObjectActionType,
} from "./desktop_object_action.ts";
import { type ObjectPublisher, Publisher } from "./publisher.ts";
import { Subscriber } from "./subscriber.ts";
import { deleteTopology, uniqueName, waitUntil } from "./testdata/broker_helpers.ts";

const broker = integrationServer("HEA_TEST_AMQP_URL", "scripts/start_rabbitmq.sh");

/** A publisher that keeps a JSON copy of each object, as a real one sends it. */
class RecordingPublisher implements ObjectPublisher {
  readonly published: DesktopObjectAction[] = [];
  failAt = -1;

  publish(object: HeaObject): Promise<void> {
    if (this.published.length === this.failAt) {
      this.failAt = -1;
      return Promise.reject(new Error("outbox unavailable"));
    }
    this.published.push(JSON.parse(JSON.stringify(object)));
    return Promise.resolve();
  }

  statuses(): string[] {
    return this.published.map((action) => action.status);
  }
}

const OPTIONS = { code: "hea-update", user: "alice", description: "Updating report.pdf" } as const;

Deno.test("withActivity publishes three statuses", async () => {
  const publisher = new RecordingPublisher();

  const result = await withActivity(publisher, OPTIONS, () => Promise.resolve(42));

  assert.equal(result, 42);
  assert.deepEqual(publisher.statuses(), ["REQUESTED", "IN_PROGRESS", "SUCCEEDED"]);
  const ids = new Set(publisher.published.map((action) => action.application_id));
  assert.equal(ids.size, 1);
  assert.equal(publisher.published[2]!.user_id, "alice");
  assert.equal(publisher.published[2]!.code, "hea-update");
  assert.notEqual(publisher.published[2]!.ended, null);
});

Deno.test("withActivity publishes what the operation fills in", async () => {
  const publisher = new RecordingPublisher();

  await withActivity(publisher, OPTIONS, (action) => {
    action.old_object_uri = "volumes/v1/folders/f1";
    action.new_object_uri = "volumes/v1/folders/f2";
    action.new_object_type_name = "heaobject.folder.Folder";
    return Promise.resolve();
  });

  assert.equal(publisher.published[1]!.new_object_uri, null);
  assert.equal(publisher.published[2]!.old_object_uri, "volumes/v1/folders/f1");
  assert.equal(publisher.published[2]!.new_object_uri, "volumes/v1/folders/f2");
  assert.equal(publisher.published[2]!.new_object_type_name, "heaobject.folder.Folder");
});

Deno.test("withActivity marks a thrown error FAILED", async () => {
  const publisher = new RecordingPublisher();

  await assert.rejects(
    withActivity(publisher, OPTIONS, () => Promise.reject(new Error("disk full"))),
    /disk full/,
  );

  assert.deepEqual(publisher.statuses(), ["REQUESTED", "IN_PROGRESS", "FAILED"]);
});

Deno.test("withActivity keeps a FAILED set by the operation", async () => {
  const publisher = new RecordingPublisher();

  const result = await withActivity(publisher, OPTIONS, (action) => {
    action.status = "FAILED";
    return Promise.resolve("not found");
  });

  assert.equal(result, "not found");
  assert.deepEqual(publisher.statuses(), ["REQUESTED", "IN_PROGRESS", "FAILED"]);
});

Deno.test("withActivity fails after reported success", async () => {
  const publisher = new RecordingPublisher();

  await assert.rejects(
    withActivity(publisher, OPTIONS, (action) => {
      action.status = "SUCCEEDED";
      return Promise.reject(new Error("late failure"));
    }),
    /late failure/,
  );

  assert.deepEqual(publisher.statuses(), ["REQUESTED", "IN_PROGRESS", "FAILED"]);
});

Deno.test("withActivity rejects a status moved back", async () => {
  const publisher = new RecordingPublisher();

  await assert.rejects(
    withActivity(publisher, OPTIONS, (action) => {
      action.status = "REQUESTED";
      return Promise.resolve();
    }),
    RangeError,
  );

  assert.deepEqual(publisher.statuses(), ["REQUESTED", "IN_PROGRESS", "FAILED"]);
});

Deno.test("withActivity skips the operation when REQUESTED fails", async () => {
  const publisher = new RecordingPublisher();
  publisher.failAt = 0;
  let ran = false;

  await assert.rejects(
    withActivity(publisher, OPTIONS, () => {
      ran = true;
      return Promise.resolve();
    }),
    /outbox unavailable/,
  );

  assert.equal(ran, false);
  assert.deepEqual(publisher.statuses(), []);
});

Deno.test("withActivity rethrows a failed final publish", async () => {
  const publisher = new RecordingPublisher();
  publisher.failAt = 2;

  await assert.rejects(
    withActivity(publisher, OPTIONS, () => Promise.resolve()),
    /outbox unavailable/,
  );

  assert.deepEqual(publisher.statuses(), ["REQUESTED", "IN_PROGRESS"]);
});

Deno.test("withActivity prefers the operation's error", async () => {
  const publisher = new RecordingPublisher();
  publisher.failAt = 2;

  await assert.rejects(
    withActivity(publisher, OPTIONS, () => Promise.reject(new Error("operation broke"))),
    /operation broke/,
  );
});

Deno.test("withActivity status times move forward", async () => {
  const publisher = new RecordingPublisher();

  await withActivity(publisher, OPTIONS, () => new Promise((resolve) => setTimeout(resolve, 20)));

  const [requested, inProgress, succeeded] = publisher.published;
  assert.ok(requested!.status_updated <= inProgress!.status_updated);
  assert.ok(inProgress!.status_updated < succeeded!.status_updated);
  assert.equal(succeeded!.began, inProgress!.began);
});

Deno.test({
  name: "withActivity reaches an Activity subscriber",
  ignore: broker.ignore,
  fn: async () => {
    const exchange = uniqueName("activity");
    const received: HeaObject[] = [];
    const subscriber = new Subscriber({
      url: broker.url,
      exchange,
      registry: new TypeRegistry([ActivityType, ActionType, DesktopObjectActionType]),
      topics: [ActivityType.name],
      onMessage: (object) => {
        received.push(object);
        return Promise.resolve();
      },
    });
    const publisher = new Publisher({ url: broker.url, exchange });

    try {
      subscriber.start();
      await subscriber.whenReady();
      publisher.start();

      await withActivity(publisher, OPTIONS, (action) => {
        action.new_object_uri = "folders/f1";
        return Promise.resolve();
      });
      await waitUntil(
        () => received.length >= 3,
        10_000,
        () => `3 actions; got ${received.length}`,
      );

      assert.deepEqual(received.map((action) => action.status), [
        "REQUESTED",
        "IN_PROGRESS",
        "SUCCEEDED",
      ]);
      assert.equal(received[2]!.type, "heaobject.activity.DesktopObjectAction");
      assert.equal(received[2]!.new_object_uri, "folders/f1");
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
