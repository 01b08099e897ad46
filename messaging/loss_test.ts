/**
 * The loss test: 10,000 messages through a file outbox while the broker is stopped and restarted
 * mid-stream, and again while the publishing process is killed with SIGKILL and restarted. Every
 * message must arrive; repeats are allowed, counted by message id and reported.
 *
 * The broker is a private RabbitMQ node from the launcher, so stopping it does not disturb other
 * test files that share the broker of scripts/start_rabbitmq.sh.
 */

import assert from "node:assert/strict";
import { defineDesktopObjectType, TypeRegistry } from "../objects/mod.ts";
import { integrationServer } from "../testing/integration.ts";
import { RabbitMqLauncher } from "../testing/rabbitmq.ts";
import { Outbox } from "./outbox.ts";
import { Publisher } from "./publisher.ts";
import { Subscriber } from "./subscriber.ts";
import { lossMessageId, uniqueName, waitUntil } from "./testdata/broker_helpers.ts";

// The variable shows that RabbitMQ is installed, because this test starts a node of its own.
const broker = integrationServer("HEA_TEST_AMQP_URL", "scripts/start_rabbitmq.sh");

const MESSAGES = 10_000;
const FAST_BACKOFF = { initialDelayMs: 50, maxDelayMs: 1_000 };
const CHILD = new URL("./testdata/publish_child.ts", import.meta.url).pathname;
const CONFIG = new URL("../deno.json", import.meta.url).pathname;
const Note = defineDesktopObjectType({ name: "example.Note", displayName: "Note" });

/** Deliveries by message id, from a subscriber on a durable queue. */
class Tally {
  readonly counts: Map<string, number> = new Map();
  deliveries = 0;

  record(id: string | null): void {
    assert.ok(id !== null, "every message has an id");
    this.deliveries += 1;
    this.counts.set(id, (this.counts.get(id) ?? 0) + 1);
  }

  get duplicates(): number {
    return this.deliveries - this.counts.size;
  }

  missing(): number[] {
    const missing: number[] = [];
    for (let n = 0; n < MESSAGES; n++) {
      if (!this.counts.has(lossMessageId(n))) {
        missing.push(n);
      }
    }
    return missing;
  }
}

interface Scenario {
  readonly name: string;
  readonly tally: Tally;
  readonly seconds: number;
  readonly note: string;
}

/** Starts a subscriber on a durable queue that records every delivery in `tally`. */
async function startTally(
  url: string,
  exchange: string,
  queue: string,
  tally: Tally,
): Promise<Subscriber> {
  const subscriber = new Subscriber({
    url,
    exchange,
    queue,
    registry: new TypeRegistry([Note]),
    topics: [Note.name],
    prefetch: 200,
    backoff: FAST_BACKOFF,
    onMessage: (_object, delivery) => {
      tally.record(delivery.messageId);
      return Promise.resolve();
    },
  });
  subscriber.start();
  await subscriber.whenReady();

  return subscriber;
}

/** Publishes through a child process; resolves with the last number it reported stored once `stopAt` is passed. */
async function runChild(
  args: readonly string[],
  stopAt: number | null,
): Promise<{ lastStored: number; output: string; killed: boolean }> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", "--config", CONFIG, CHILD, ...args],
    stdin: "null",
    stdout: "piped",
    stderr: "null",
  }).spawn();

  let output = "";
  let lastStored = -1;
  let killed = false;
  const lines = child.stdout.pipeThrough(new TextDecoderStream());
  for await (const chunk of lines) {
    output += chunk;
    for (const match of chunk.matchAll(/stored (\d+)/g)) {
      lastStored = Math.max(lastStored, Number(match[1]));
    }
    if (stopAt !== null && lastStored >= stopAt && !killed) {
      child.kill("SIGKILL");
      killed = true;
    }
  }

  const status = await child.status;
  if (!killed) {
    assert.equal(status.code, 0, `the publishing child failed; its output:\n${output}`);
  }

  return { lastStored, output, killed };
}

Deno.test({
  name: "publisher loses no message",
  ignore: broker.ignore,
  fn: async (t) => {
    await using rabbit = new RabbitMqLauncher();
    await rabbit.start();
    const scenarios: Scenario[] = [];
    const dir = await Deno.makeTempDir({ prefix: "hea_loss_test_" });

    try {
      await t.step("across a broker restart", async () => {
        const started = performance.now();
        const exchange = uniqueName("loss");
        const tally = new Tally();
        const subscriber = await startTally(rabbit.url, exchange, uniqueName("loss"), tally);
        const publisher = new Publisher({
          url: rabbit.url,
          exchange,
          outboxPath: `${dir}/restart.db`,
          backoff: FAST_BACKOFF,
        });
        publisher.start();
        await publisher.whenConnected();

        let stopping: Promise<void> = Promise.resolve();
        let starting: Promise<void> = Promise.resolve();
        let pendingWhileDown = 0;
        let pendingAtEnd = 0;
        try {
          for (let start = 0; start < MESSAGES; start += 100) {
            const batch = [];
            for (let n = start; n < start + 100; n++) {
              batch.push(
                publisher.publish({ type: Note.name, n }, { messageId: lossMessageId(n) }),
              );
            }
            await Promise.all(batch);

            // Stop the broker while messages are in flight and keep publishing while it stops.
            // Once it is down, publish one more batch, which can only wait in the outbox, then
            // start the broker again while the rest are published.
            if (start === 3_000) {
              stopping = rabbit.stop();
            } else if (start === 6_000) {
              await stopping;
            } else if (start === 6_100) {
              pendingWhileDown = publisher.pending;
              starting = rabbit.start();
            }
          }
          pendingAtEnd = publisher.pending;
          await starting;

          assert.equal(await publisher.flush(120_000), true);
          await waitUntil(
            () => tally.counts.size >= MESSAGES,
            120_000,
            () => `${MESSAGES} distinct messages; got ${tally.counts.size}`,
          );
        } finally {
          await publisher.close();
          await subscriber.close();
        }

        assert.deepEqual(tally.missing(), []);
        assert.ok(pendingWhileDown > 0, "messages waited in the outbox while the broker was down");
        scenarios.push({
          name: "broker stopped and restarted",
          tally,
          seconds: (performance.now() - started) / 1000,
          note: `${pendingWhileDown} pending in the outbox once the broker was down, ` +
            `${pendingAtEnd} when the last was stored during its restart`,
        });
      });

      await t.step("across a publisher crash", async () => {
        const started = performance.now();
        const exchange = uniqueName("loss");
        const outboxPath = `${dir}/crash.db`;
        const tally = new Tally();
        const subscriber = await startTally(rabbit.url, exchange, uniqueName("loss"), tally);

        let pendingAtCrash = 0;
        let first: Awaited<ReturnType<typeof runChild>>;
        try {
          first = await runChild([rabbit.url, exchange, outboxPath, "0", String(MESSAGES)], 4_000);

          // Opening the outbox proves that the killed owner's lock is gone.
          const outbox = new Outbox({ path: outboxPath });
          pendingAtCrash = outbox.count();
          outbox.close();

          await runChild([
            rabbit.url,
            exchange,
            outboxPath,
            String(first.lastStored + 1),
            String(MESSAGES),
          ], null);
          await waitUntil(
            () => tally.counts.size >= MESSAGES,
            120_000,
            () => `${MESSAGES} distinct messages; got ${tally.counts.size}`,
          );
        } finally {
          await subscriber.close();
        }

        assert.equal(first.killed, true);
        assert.ok(first.lastStored < MESSAGES - 1, "the child was killed mid-stream");
        assert.deepEqual(tally.missing(), []);
        scenarios.push({
          name: "publisher killed with SIGKILL and restarted",
          tally,
          seconds: (performance.now() - started) / 1000,
          note: `killed after storing ${
            first.lastStored + 1
          }; ${pendingAtCrash} unconfirmed in the outbox at the crash`,
        });
      });
    } finally {
      await Deno.remove(dir, { recursive: true });
    }

    const rows = scenarios.map((s) =>
      `| ${s.name} | ${MESSAGES} | ${s.tally.counts.size} | ${s.tally.deliveries} | ${s.tally.duplicates} | ${
        s.seconds.toFixed(1)
      } | ${s.note} |`
    );
    // deno-lint-ignore no-console -- the figures are the report this test exists for.
    console.log([
      "",
      "| scenario | sent | received (distinct ids) | deliveries | duplicates | seconds | notes |",
      "|---|---|---|---|---|---|---|",
      ...rows,
    ].join("\n"));
  },
});
