/**
 * Test helper for the loss test: connects, then publishes messages `FROM` to `TO - 1` through a
 * publisher with a file outbox, printing `stored N` after each batch is in the outbox, then waits for the broker's
 * confirmations, closes, and prints `done`. The test kills it with SIGKILL mid-stream and starts
 * it again from the last stored number.
 *
 * Arguments: URL EXCHANGE OUTBOX_PATH FROM TO
 *
 * @module
 */

import { Publisher } from "../publisher.ts";
import { lossMessageId } from "./broker_helpers.ts";

const [url, exchange, outboxPath, fromText, toText] = Deno.args;
if (
  url === undefined || exchange === undefined || outboxPath === undefined || toText === undefined
) {
  throw new Error("Missing arguments: pass URL EXCHANGE OUTBOX_PATH FROM TO");
}
const from = Number(fromText);
const to = Number(toText);
const BATCH = 100;

const encoder = new TextEncoder();
const print = (line: string): Promise<number> => Deno.stdout.write(encoder.encode(`${line}\n`));

const publisher = new Publisher({
  url,
  exchange,
  outboxPath,
  backoff: { initialDelayMs: 50, maxDelayMs: 1_000 },
});
await print(`pending ${publisher.pending}`);
publisher.start();
await publisher.whenConnected();

for (let start = from; start < to; start += BATCH) {
  const end = Math.min(start + BATCH, to);
  const batch = [];
  for (let n = start; n < end; n++) {
    batch.push(publisher.publish({ type: "example.Note", n }, { messageId: lossMessageId(n) }));
  }
  await Promise.all(batch);
  await print(`stored ${end - 1}`);

  // A short pause per batch lets sending keep pace, so a kill lands while messages are in flight.
  await new Promise((resolve) => setTimeout(resolve, 5));
}

const flushed = await publisher.flush(120_000);
const result = await publisher.close();
await print(`done flushed=${flushed} pending=${result.pending}`);
