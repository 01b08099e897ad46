// deno-lint-ignore-file no-console -- a benchmark script reports on standard output.
/**
 * Publish throughput with publisher confirms: plain amqplib (no outbox) against the Publisher with
 * an in-memory outbox and with a file outbox, run alternately in the same process so that the
 * broker's and the disk's state affect each variant alike. Prints a markdown table.
 *
 * Run: HEA_TEST_AMQP_URL=amqp://guest:guest@127.0.0.1:5672 deno run -A bench/messaging_bench.ts
 *
 * Each run publishes persistent messages to a fresh topic exchange with one durable queue bound,
 * so that the broker writes them to disk as in production, and ends when the broker has
 * confirmed every message. A publish call resolves when the message is stored (Publisher) or
 * written to the channel (amqplib), never at its confirmation, so both variants keep many
 * messages in flight. Options: --messages N (default 5000), --rounds N (default 5).
 *
 * @module
 */

import { Buffer } from "node:buffer";
import { setImmediate } from "node:timers";
import { connect } from "amqplib";
import { newObject, PropertyType } from "../objects/mod.ts";
import { Publisher } from "../messaging/mod.ts";

interface Variant {
  readonly name: string;
  readonly run: (
    exchange: string,
    bodies: readonly Record<string, unknown>[],
    mode: Mode,
  ) => Promise<void>;
}

type Mode = "batched" | "sequential";

const url = Deno.env.get("HEA_TEST_AMQP_URL");
if (!url) {
  console.error(
    "HEA_TEST_AMQP_URL is not set; run scripts/start_rabbitmq.sh and export what it prints.",
  );
  Deno.exit(2);
}

const messages = numberOption("--messages", 5_000);
const rounds = numberOption("--rounds", 5);
/** How many publish calls a batched run issues before awaiting them, like a busy service. */
const BATCH = 100;
/** The most unconfirmed messages of the plain amqplib variant, the Publisher's default. */
const WINDOW = 1_000;

const tempDir = await Deno.makeTempDir({ prefix: "hea_messaging_bench_" });

const variants: readonly Variant[] = [
  { name: "amqplib, no outbox", run: publishPlain },
  {
    name: "Publisher, memory outbox",
    run: (e, b, m) => publishWithPublisher(e, b, m, null, "full"),
  },
  {
    name: "Publisher, file outbox (synchronous full)",
    run: (e, b, m) => publishWithPublisher(e, b, m, `${tempDir}/${e}.db`, "full"),
  },
  {
    name: "Publisher, file outbox (synchronous normal)",
    run: (e, b, m) => publishWithPublisher(e, b, m, `${tempDir}/${e}.db`, "normal"),
  },
];

const workloads: ReadonlyArray<{ mode: Mode; count: number; label: string }> = [
  { mode: "batched", count: messages, label: `batched (${BATCH} publish calls, then await)` },
  {
    mode: "sequential",
    count: Math.max(1, Math.floor(messages / 5)),
    label: "one at a time (await each publish call)",
  },
];

const body = {
  ...newObject(PropertyType),
  name: "bench",
  value: "x".repeat(600),
  owner: "system|test",
};
const bodySize = JSON.stringify(body).length;

console.log(`# Messaging benchmark`);
console.log();
console.log(`- broker: ${url.replace(/:[^:@/]*@/, ":***@")}`);
console.log(`- message body: ${bodySize} bytes of JSON, persistent, to a durable queue`);
console.log(`- ${rounds} rounds; in each round every variant runs once, in rotating order`);
console.log(`- Deno ${Deno.version.deno}, ${navigator.hardwareConcurrency} CPUs`);
console.log();

try {
  for (const workload of workloads) {
    const bodies = Array.from({ length: workload.count }, (_, n) => ({ ...body, n }));
    const rates = new Map<string, number[]>(variants.map((v) => [v.name, []]));

    // One unmeasured run of each variant warms up the connection code and the broker.
    for (const variant of variants) {
      await measure(variant, bodies.slice(0, Math.min(500, bodies.length)), workload.mode);
    }

    for (let round = 0; round < rounds; round++) {
      for (let i = 0; i < variants.length; i++) {
        const variant = variants[(round + i) % variants.length]!;
        const seconds = await measure(variant, bodies, workload.mode);
        rates.get(variant.name)!.push(bodies.length / seconds);
      }
    }

    printTable(workload.label, workload.count, rates);
  }
} finally {
  await Deno.remove(tempDir, { recursive: true });
}

/** Runs one variant on a fresh exchange and queue; returns the seconds until every confirmation. */
async function measure(
  variant: Variant,
  bodies: readonly Record<string, unknown>[],
  mode: Mode,
): Promise<number> {
  const exchange = `hea_bench_${crypto.randomUUID().slice(0, 8)}`;
  const connection = await connect(url!);
  const channel = await connection.createChannel();
  await channel.assertExchange(exchange, "topic", { durable: true });
  await channel.assertQueue(exchange, { durable: true });
  await channel.bindQueue(exchange, exchange, "#");

  try {
    const started = performance.now();
    await variant.run(exchange, bodies, mode);
    return (performance.now() - started) / 1000;
  } finally {
    await channel.deleteQueue(exchange);
    await channel.deleteExchange(exchange);
    await connection.close();
  }
}

/** Publishes with plain amqplib on a confirm channel, which measures the cost of confirms alone. */
async function publishPlain(
  exchange: string,
  bodies: readonly Record<string, unknown>[],
  mode: Mode,
): Promise<void> {
  const connection = await connect(url!);
  const channel = await connection.createConfirmChannel();
  let inFlight = 0;
  let wake: () => void = () => {};

  const publishOne = (object: Record<string, unknown>): Promise<void> =>
    new Promise((resolve, reject) => {
      inFlight += 1;
      channel.publish(
        exchange,
        PropertyType.name,
        Buffer.from(JSON.stringify(object)),
        { persistent: true, messageId: crypto.randomUUID(), contentType: "application/json" },
        (error: unknown) => {
          inFlight -= 1;
          wake();
          if (error) {
            reject(error);
          } else {
            resolve();
          }
        },
      );
    });

  try {
    // Like Publisher.publish, a call here waits for its turn of the event loop, not for the
    // broker's confirmation. The run ends when every confirmation has arrived.
    const batch = mode === "batched" ? BATCH : 1;
    const confirmations: Promise<void>[] = [];
    for (let start = 0; start < bodies.length; start += batch) {
      while (inFlight >= WINDOW) {
        await new Promise<void>((resolve) => wake = resolve);
      }
      for (const object of bodies.slice(start, start + batch)) {
        confirmations.push(publishOne(object));
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(confirmations);
  } finally {
    await connection.close();
  }
}

/** Publishes through the Publisher: each message is stored in the outbox, sent, confirmed, then removed. */
async function publishWithPublisher(
  exchange: string,
  bodies: readonly Record<string, unknown>[],
  mode: Mode,
  outboxPath: string | null,
  synchronous: "full" | "normal",
): Promise<void> {
  const publisher = new Publisher({
    url: url!,
    exchange,
    outboxPath,
    outboxSynchronous: synchronous,
  });
  publisher.start();
  await publisher.whenConnected();

  try {
    if (mode === "sequential") {
      for (const object of bodies) {
        await publisher.publish(object as { type: string });
      }
    } else {
      for (let start = 0; start < bodies.length; start += BATCH) {
        await Promise.all(
          bodies.slice(start, start + BATCH).map((object) =>
            publisher.publish(object as { type: string })
          ),
        );
      }
    }

    if (!(await publisher.flush(120_000))) {
      throw new Error(
        `Timed out waiting for confirmations with ${publisher.pending} messages pending`,
      );
    }
  } finally {
    await publisher.close();
    if (outboxPath !== null) {
      await Deno.remove(outboxPath).catch(() => {});
    }
  }
}

function printTable(label: string, count: number, rates: Map<string, number[]>): void {
  const baseline = median(rates.get(variants[0]!.name)!);

  console.log(`## ${label}, ${count} messages per run`);
  console.log();
  console.log("| variant | median msg/s | min msg/s | max msg/s | time vs no outbox |");
  console.log("|---|---:|---:|---:|---:|");
  for (const [name, values] of rates) {
    const middle = median(values);
    console.log(
      `| ${name} | ${middle.toFixed(0)} | ${Math.min(...values).toFixed(0)} | ${
        Math.max(...values).toFixed(0)
      } | ${(baseline / middle).toFixed(2)}x |`,
    );
  }
  console.log();
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);

  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function numberOption(name: string, fallback: number): number {
  const index = Deno.args.indexOf(name);
  if (index === -1) {
    return fallback;
  }

  const value = Number(Deno.args[index + 1]);
  if (!Number.isInteger(value) || value < 1) {
    console.error(`Invalid ${name} "${Deno.args[index + 1]}": use a whole number of at least 1`);
    Deno.exit(2);
  }

  return value;
}
