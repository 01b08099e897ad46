import assert from "node:assert/strict";
import { DesktopObjectActionType, Subscriber } from "../../messaging/mod.ts";
import { type HeaObject, PropertyType, TypeRegistry } from "../../objects/mod.ts";
import { integrationServer } from "../../testing/mod.ts";

const amqp = integrationServer("HEA_TEST_AMQP_URL", "scripts/start_rabbitmq.sh");

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

async function waitUntil(
  condition: () => boolean | Promise<boolean>,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) {
      throw new Error(`Condition not met within ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

Deno.test({
  name: "registry publishes activity when a broker is configured",
  ignore: amqp.ignore,
  fn: async () => {
    const exchange = `hea_test_registry_${crypto.randomUUID().slice(0, 8)}`;
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

    const port = freePort();
    const service = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        new URL("./main.ts", import.meta.url).pathname,
        "--port",
        String(port),
        "--database",
        ":memory:",
        "--amqp",
        amqp.url,
      ],
      env: { HEA_AMQP_EXCHANGE: exchange },
      stdout: "null",
      stderr: "null",
    }).spawn();

    try {
      const url = `http://127.0.0.1:${port}`;
      await waitUntil(async () => {
        try {
          const ping = await fetch(`${url}/componentsping`);
          await ping.body?.cancel();
          return ping.ok;
        } catch {
          return false;
        }
      }, 15_000);

      const created = await fetch(`${url}/properties`, {
        method: "POST",
        headers: { OIDC_CLAIM_sub: "alice", "content-type": "application/json" },
        body: JSON.stringify({ type: PropertyType.name, name: "PUBLISHED", value: "1" }),
      });
      assert.equal(created.status, 201);
      await created.body?.cancel();
      await waitUntil(() => received.length >= 4, 10_000);

      const statuses = received
        .filter((object) => object.type === DesktopObjectActionType.name)
        .map((action) => `${action.code} ${action.status}`);
      assert.deepEqual(statuses, [
        "hea-create REQUESTED",
        "hea-create IN_PROGRESS",
        "hea-create SUCCEEDED",
      ]);
      assert.ok(
        received.some((object) => object.type === PropertyType.name && object.name === "PUBLISHED"),
      );
    } finally {
      service.kill("SIGTERM");
      const status = await service.status;
      assert.equal(status.success, true, "the service stops cleanly on SIGTERM");
      await subscriber.close({ timeoutMs: 5_000 });
    }
  },
});
