import assert from "node:assert/strict";
import { SqliteDatabase } from "../db/mod.ts";
import {
  DesktopObjectActionType,
  type ObjectPublisher,
  Publisher,
  Subscriber,
} from "../messaging/mod.ts";
import { type HeaObject, PropertyType, TypeRegistry } from "../objects/mod.ts";
import { integrationServer, startTestServer } from "../testing/mod.ts";
import { mountCollection } from "./collection_routes.ts";
import { Router } from "./router.ts";

const amqp = integrationServer("HEA_TEST_AMQP_URL", "scripts/start_rabbitmq.sh");
const ACTION_TYPE = "heaobject.activity.DesktopObjectAction";

async function startService(publisher: ObjectPublisher) {
  const database = new SqliteDatabase();
  const router = await mountCollection(new Router(), {
    collection: "properties",
    type: PropertyType,
    registry: new TypeRegistry([PropertyType]),
    database,
    publisher,
  });
  return startTestServer(router.fetch, { onShutdown: () => database.close() });
}

async function exercise(url: string): Promise<string> {
  const headers = { OIDC_CLAIM_sub: "alice", "content-type": "application/json" };
  const created = await fetch(`${url}/properties`, {
    method: "POST",
    headers,
    body: JSON.stringify({
      type: PropertyType.name,
      name: "LIMIT",
      display_name: "Limit",
      value: "1",
    }),
  });
  assert.equal(created.status, 201);
  await created.body?.cancel();
  const id = (created.headers.get("location") ?? "").split("/").pop() ?? "";

  const updated = await fetch(`${url}/properties/${id}`, {
    method: "PUT",
    headers,
    body: JSON.stringify({ type: PropertyType.name, name: "LIMIT", value: "2" }),
  });
  assert.equal(updated.status, 204);
  const conflict = await fetch(`${url}/properties/${id}`, {
    method: "PUT",
    headers,
    body: JSON.stringify({ type: "heaobject.nothing.Here" }),
  });
  assert.equal(conflict.status, 400);
  await conflict.body?.cancel();
  const deleted = await fetch(`${url}/properties/${id}`, { method: "DELETE", headers });
  assert.equal(deleted.status, 204);

  return id;
}

function checkActivity(messages: HeaObject[], id: string): void {
  const actions = messages.filter((message) => message.type === ACTION_TYPE);
  const changed = messages.filter((message) => message.type === PropertyType.name);

  assert.deepEqual(
    actions.map((action) => `${action.code} ${action.status}`),
    [
      "hea-create REQUESTED",
      "hea-create IN_PROGRESS",
      "hea-create SUCCEEDED",
      "hea-update REQUESTED",
      "hea-update IN_PROGRESS",
      "hea-update SUCCEEDED",
      "hea-delete REQUESTED",
      "hea-delete IN_PROGRESS",
      "hea-delete SUCCEEDED",
    ],
  );
  const create = actions[2] as HeaObject;
  assert.equal(create.user_id, "alice");
  assert.equal(create.new_object_id, id);
  assert.equal(create.new_object_uri, `properties/${id}`);
  assert.equal(create.new_object_type_name, PropertyType.name);
  assert.equal(create.new_object_display_name, "Limit");
  const update = actions[5] as HeaObject;
  assert.equal(update.old_object_id, id);
  assert.equal(update.new_object_id, id);
  const remove = actions[8] as HeaObject;
  assert.equal(remove.old_object_uri, `properties/${id}`);
  assert.equal(remove.new_object_uri, null);
  assert.deepEqual(changed.map((object) => object.value), ["1", "2"]);
  assert.ok(changed.every((object) => typeof object.modified === "string"));
}

Deno.test("handlers record activity through a publisher", async () => {
  const published: HeaObject[] = [];
  const publisher: ObjectPublisher = {
    publish: (object) => {
      published.push(structuredClone(object));
      return Promise.resolve();
    },
  };
  await using server = await startService(publisher);

  const id = await exercise(server.url);

  checkActivity(published, id);
});

Deno.test({
  name: "handlers publish activity to RabbitMQ",
  ignore: amqp.ignore,
  fn: async () => {
    const exchange = `hea_test_activity_${crypto.randomUUID().slice(0, 8)}`;
    const received: HeaObject[] = [];
    const subscriber = new Subscriber({
      url: amqp.url,
      exchange,
      registry: new TypeRegistry([PropertyType, DesktopObjectActionType]),
      topics: [PropertyType.name, DesktopObjectActionType.name],
      onMessage: (object) => {
        received.push(object);
        return Promise.resolve();
      },
    });
    subscriber.start();
    await subscriber.whenReady();
    const publisher = new Publisher({ url: amqp.url, exchange });
    publisher.start();

    try {
      await using server = await startService(publisher);
      const id = await exercise(server.url);
      await publisher.flush();
      const deadline = Date.now() + 10_000;
      while (received.length < 11 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }

      checkActivity(received, id);
    } finally {
      await publisher.close({ timeoutMs: 5_000 });
      await subscriber.close({ timeoutMs: 5_000 });
    }
  },
});
