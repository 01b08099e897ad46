import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { Outbox, type OutboxMessage } from "./outbox.ts";
import { OutboxInUseError } from "./outbox_in_use_error.ts";

const HOLDER = new URL("./testdata/outbox_holder.ts", import.meta.url).pathname;
const CONFIG = new URL("../deno.json", import.meta.url).pathname;

function message(n: number): Omit<OutboxMessage, "seq"> {
  return {
    id: `id-${n}`,
    exchange: "hea_test",
    routingKey: "example.Note",
    body: JSON.stringify({ type: "example.Note", n }),
    created: new Date(Date.UTC(2024, 0, 1, 0, 0, n)).toISOString(),
  };
}

async function withTempDir(work: (dir: string) => Promise<void> | void): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "hea_outbox_test_" });
  try {
    await work(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Starts a process that keeps the outbox at `path` open, and resolves once it has stored its messages. */
async function startHolder(path: string): Promise<Deno.ChildProcess> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-read", "--allow-write", "--allow-env", "--config", CONFIG, HOLDER, path],
    stdin: "null",
    stdout: "piped",
    stderr: "null",
  }).spawn();

  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let output = "";
  while (!output.includes("ready")) {
    const { value, done } = await reader.read();
    if (done) {
      throw new Error(`The outbox holder exited before it was ready; output: ${output}`);
    }
    output += value;
  }
  reader.releaseLock();
  void child.stdout.cancel().catch(() => {});

  return child;
}

Deno.test("outbox returns messages in order", () => {
  const outbox = new Outbox();

  const stored = outbox.addAll([message(1), message(2), message(3)]);

  assert.deepEqual(stored.map((m) => m.id), ["id-1", "id-2", "id-3"]);
  assert.ok(stored[0]!.seq < stored[1]!.seq);
  assert.ok(stored[1]!.seq < stored[2]!.seq);
  assert.deepEqual(outbox.peek(0, 10), stored);
  outbox.close();
});

Deno.test("outbox peek honours position and limit", () => {
  const outbox = new Outbox();
  const stored = outbox.addAll([message(1), message(2), message(3), message(4)]);

  assert.deepEqual(outbox.peek(stored[0]!.seq, 2).map((m) => m.id), ["id-2", "id-3"]);
  assert.deepEqual(outbox.peek(stored[3]!.seq, 10), []);
  assert.equal(outbox.count(), 4);
  outbox.close();
});

Deno.test("outbox remove counts only stored rows", () => {
  const outbox = new Outbox();
  const stored = outbox.addAll([message(1), message(2)]);

  assert.equal(outbox.remove([stored[0]!.seq, 9_999]), 1);
  assert.equal(outbox.remove([stored[0]!.seq]), 0);
  assert.deepEqual(outbox.peek(0, 10).map((m) => m.id), ["id-2"]);
  outbox.close();
});

Deno.test("outbox file keeps messages across reopening", async () => {
  await withTempDir((dir) => {
    const path = `${dir}/outbox.db`;
    const first = new Outbox({ path });
    const stored = first.addAll([message(1), message(2), message(3)]);
    first.remove([stored[1]!.seq]);
    first.close();

    const second = new Outbox({ path });
    const reopened = second.peek(0, 10);
    const next = second.add(message(4));
    second.close();

    assert.equal(first.persistent, true);
    assert.deepEqual(reopened, [stored[0], stored[2]]);
    assert.ok(next.seq > stored[2]!.seq);
  });
});

Deno.test("outbox never reuses a position", async () => {
  await withTempDir((dir) => {
    const path = `${dir}/outbox.db`;
    const first = new Outbox({ path });
    const old = first.add(message(1));
    first.remove([old.seq]);
    first.close();

    const second = new Outbox({ path });
    const next = second.add(message(2));
    second.close();

    // A reused position would let a restarted publisher take a new message for an old one.
    assert.ok(next.seq > old.seq);
  });
});

Deno.test("outbox in memory is not persistent", () => {
  const outbox = new Outbox();

  assert.equal(outbox.path, null);
  assert.equal(outbox.persistent, false);
  outbox.close();
});

Deno.test("outbox rejects use after close", () => {
  const outbox = new Outbox();
  outbox.close();
  outbox.close();

  assert.equal(outbox.closed, true);
  assert.throws(() => outbox.add(message(1)), /is closed/);
  assert.throws(() => outbox.count(), /is closed/);
});

Deno.test("outbox rejects a second owner in-process", async () => {
  await withTempDir((dir) => {
    const path = `${dir}/outbox.db`;
    const owner = new Outbox({ path });

    try {
      assert.throws(() => new Outbox({ path }), (error: unknown) => {
        assert.ok(error instanceof OutboxInUseError);
        assert.equal(error.path, path);
        assert.match(error.message, /already open/);
        return true;
      });
    } finally {
      owner.close();
    }

    const next = new Outbox({ path });
    next.close();
  });
});

Deno.test("outbox rejects an owner in another process", async () => {
  await withTempDir(async (dir) => {
    const path = `${dir}/outbox.db`;
    const holder = await startHolder(path);

    try {
      assert.throws(() => new Outbox({ path }), OutboxInUseError);
    } finally {
      holder.kill("SIGTERM");
      await holder.status;
    }
  });
});

Deno.test("outbox opens after its owner crashed", async () => {
  await withTempDir(async (dir) => {
    const path = `${dir}/outbox.db`;
    const holder = await startHolder(path);
    holder.kill("SIGKILL");
    await holder.status;

    const outbox = new Outbox({ path });
    const pending = outbox.peek(0, 10);
    outbox.close();

    assert.deepEqual(pending.map((m) => JSON.parse(m.body).n), [0, 1, 2]);
  });
});

Deno.test("outbox rejects a newer layout", async () => {
  await withTempDir((dir) => {
    const path = `${dir}/outbox.db`;
    const database = new DatabaseSync(path);
    database.exec("PRAGMA user_version = 99");
    database.close();

    assert.throws(() => new Outbox({ path }), /layout version 99/);
  });
});

Deno.test("outbox names a missing directory", () => {
  const path = "/nonexistent-hea-directory/outbox.db";

  assert.throws(() => new Outbox({ path }), (error: unknown) => {
    assert.ok(error instanceof Error);
    assert.match(error.message, /nonexistent-hea-directory\/outbox\.db/);
    assert.match(error.message, /directory exists/);
    return true;
  });
});
