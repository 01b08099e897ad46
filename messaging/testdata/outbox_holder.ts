/**
 * Test helper: opens the outbox file named by the first argument, stores three messages, prints
 * `ready`, and keeps the outbox open until it is killed.
 *
 * @module
 */

import { Outbox } from "../outbox.ts";

const path = Deno.args[0];
if (path === undefined) {
  throw new Error("Missing argument: pass the outbox path");
}

const outbox = new Outbox({ path });
for (let n = 0; n < 3; n++) {
  outbox.add({
    id: crypto.randomUUID(),
    exchange: "hea_test",
    routingKey: "example.Note",
    body: JSON.stringify({ type: "example.Note", n }),
    created: new Date().toISOString(),
  });
}

await Deno.stdout.write(new TextEncoder().encode("ready\n"));

// Stay alive, with the outbox open, until the test kills this process.
setInterval(() => {}, 60_000);
