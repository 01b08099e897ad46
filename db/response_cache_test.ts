import assert from "node:assert/strict";
import {
  type DesktopObject,
  newObject,
  PermissionContext,
  PropertyType,
  type Share,
  ShareType,
} from "../objects/mod.ts";
import type { GetAllOptions } from "./database.ts";
import { CachingDatabase } from "./response_cache.ts";
import { SqliteDatabase } from "./sqlite_database.ts";

const ALICE = new PermissionContext("alice");
const BOB = new PermissionContext("bob");
const PROPERTIES = "properties";

/** Counts the reads that reach the wrapped store. */
class CountingDatabase extends SqliteDatabase {
  reads = 0;

  override get(collection: string, id: string, context: PermissionContext) {
    this.reads++;
    return super.get(collection, id, context);
  }

  override getByName(collection: string, name: string, context: PermissionContext) {
    this.reads++;
    return super.getByName(collection, name, context);
  }

  override getAll(collection: string, context: PermissionContext, options?: GetAllOptions) {
    this.reads++;
    return super.getAll(collection, context, options);
  }
}

function property(fields: Record<string, unknown>): DesktopObject {
  return { ...newObject(PropertyType), owner: "alice", ...fields } as DesktopObject;
}

function viewerShare(user: string): Share {
  return { ...newObject(ShareType), user, permissions: ["VIEWER"] } as Share;
}

async function withCache(
  body: (cache: CachingDatabase, inner: CountingDatabase) => Promise<void>,
  ttlMs = 60_000,
): Promise<void> {
  const inner = new CountingDatabase();
  const cache = new CachingDatabase(inner, { ttlMs, maxEntries: 50 });
  try {
    await body(cache, inner);
  } finally {
    await cache.close();
  }
}

async function names(objects: AsyncIterable<DesktopObject>): Promise<string[]> {
  return (await Array.fromAsync(objects)).map((object) => String(object.name));
}

Deno.test("CachingDatabase serves repeated reads from the cache", async () => {
  await withCache(async (cache, inner) => {
    const id = await cache.insert(PROPERTIES, property({ name: "a" }));

    for (let round = 0; round < 3; round++) {
      await cache.get(PROPERTIES, id, ALICE);
      await cache.getByName(PROPERTIES, "a", ALICE);
      await names(cache.getAll(PROPERTIES, ALICE));
    }

    assert.equal(inner.reads, 3);
    assert.equal(cache.size, 3);
  });
});

Deno.test("CachingDatabase keys include the caller", async () => {
  await withCache(async (cache, inner) => {
    const id = await cache.insert(PROPERTIES, property({ name: "private" }));

    const forAlice = await cache.get(PROPERTIES, id, ALICE);
    const forBob = await cache.get(PROPERTIES, id, BOB);
    const forBobInGroup = await cache.get(PROPERTIES, id, new PermissionContext("bob", ["/g"]));

    assert.equal(forAlice?.name, "private");
    assert.equal(forBob, null);
    assert.equal(forBobInGroup, null);
    assert.equal(inner.reads, 3);
  });
});

Deno.test("CachingDatabase keys include the sort", async () => {
  await withCache(async (cache, inner) => {
    await cache.insert(PROPERTIES, property({ name: "b" }));
    await cache.insert(PROPERTIES, property({ name: "a" }));

    const ascending = await names(
      cache.getAll(PROPERTIES, ALICE, { sort: [{ attribute: "name", order: 1 }] }),
    );
    const descending = await names(
      cache.getAll(PROPERTIES, ALICE, { sort: [{ attribute: "name", order: -1 }] }),
    );

    assert.deepEqual(ascending, ["a", "b"]);
    assert.deepEqual(descending, ["b", "a"]);
    assert.equal(inner.reads, 2);
  });
});

Deno.test("CachingDatabase update invalidates by id, by name and listings", async () => {
  await withCache(async (cache) => {
    const id = await cache.insert(PROPERTIES, property({ name: "old", value: "1" }));
    const stored = await cache.get(PROPERTIES, id, ALICE);
    assert.ok(stored);
    await cache.getByName(PROPERTIES, "old", ALICE);
    await cache.getByName(PROPERTIES, "new", ALICE);
    await names(cache.getAll(PROPERTIES, ALICE));

    await cache.update(PROPERTIES, { ...stored, name: "new", value: "2" }, ALICE);

    assert.equal((await cache.get(PROPERTIES, id, ALICE))?.value, "2");
    assert.equal(await cache.getByName(PROPERTIES, "old", ALICE), null, "stale by-name entry");
    assert.equal((await cache.getByName(PROPERTIES, "new", ALICE))?.value, "2");
    assert.deepEqual(await names(cache.getAll(PROPERTIES, ALICE)), ["new"]);
  });
});

Deno.test("CachingDatabase share changes reach other users", async () => {
  await withCache(async (cache) => {
    const id = await cache.insert(PROPERTIES, property({ name: "shared" }));
    const stored = await cache.get(PROPERTIES, id, ALICE);
    assert.ok(stored);
    assert.equal(await cache.getByName(PROPERTIES, "shared", BOB), null);
    assert.deepEqual(await names(cache.getAll(PROPERTIES, BOB)), []);

    const share = viewerShare("bob");
    await cache.update(PROPERTIES, { ...stored, user_shares: [share], shares: [share] }, ALICE);

    assert.equal((await cache.getByName(PROPERTIES, "shared", BOB))?.name, "shared");
    assert.deepEqual(await names(cache.getAll(PROPERTIES, BOB)), ["shared"]);
  });
});

Deno.test("CachingDatabase insert invalidates cached misses", async () => {
  await withCache(async (cache) => {
    assert.equal(await cache.getByName(PROPERTIES, "later", ALICE), null);
    assert.deepEqual(await names(cache.getAll(PROPERTIES, ALICE)), []);

    await cache.insert(PROPERTIES, property({ name: "later" }));

    assert.equal((await cache.getByName(PROPERTIES, "later", ALICE))?.name, "later");
    assert.deepEqual(await names(cache.getAll(PROPERTIES, ALICE)), ["later"]);
  });
});

Deno.test("CachingDatabase delete invalidates by name", async () => {
  await withCache(async (cache) => {
    const id = await cache.insert(PROPERTIES, property({ name: "doomed" }));
    assert.ok(await cache.getByName(PROPERTIES, "doomed", ALICE));
    assert.ok(await cache.get(PROPERTIES, id, ALICE));

    await cache.delete(PROPERTIES, id, ALICE);

    assert.equal(await cache.getByName(PROPERTIES, "doomed", ALICE), null);
    assert.equal(await cache.get(PROPERTIES, id, ALICE), null);
  });
});

Deno.test("CachingDatabase keeps other collections", async () => {
  await withCache(async (cache, inner) => {
    const id = await cache.insert("others", property({ name: "kept" }));
    await cache.get("others", id, ALICE);
    const readsBefore = inner.reads;

    await cache.insert(PROPERTIES, property({ name: "unrelated" }));
    await cache.get("others", id, ALICE);

    assert.equal(inner.reads, readsBefore, "a write to another collection dropped the entry");
  });
});

Deno.test("CachingDatabase bypasses filtered and paginated listings", async () => {
  await withCache(async (cache, inner) => {
    await cache.insert(PROPERTIES, property({ name: "a" }));
    await cache.insert(PROPERTIES, property({ name: "b" }));

    for (let round = 0; round < 2; round++) {
      assert.deepEqual(await names(cache.getAll(PROPERTIES, ALICE, { filter: { name: "b" } })), [
        "b",
      ]);
      assert.deepEqual(await names(cache.getAll(PROPERTIES, ALICE, { begin: 1 })), ["b"]);
      assert.deepEqual(await names(cache.getAll(PROPERTIES, ALICE, { end: 1 })), ["a"]);
    }

    assert.equal(inner.reads, 6);
    assert.equal(cache.size, 0);
  });
});

Deno.test("CachingDatabase skips a listing read only in part", async () => {
  await withCache(async (cache, inner) => {
    await cache.insert(PROPERTIES, property({ name: "a" }));
    await cache.insert(PROPERTIES, property({ name: "b" }));

    for await (const _object of cache.getAll(PROPERTIES, ALICE)) {
      break;
    }
    const full = await names(cache.getAll(PROPERTIES, ALICE));

    assert.deepEqual(full, ["a", "b"]);
    assert.equal(inner.reads, 2);
  });
});

Deno.test("CachingDatabase skips listings longer than the limit", async () => {
  const inner = new CountingDatabase();
  const cache = new CachingDatabase(inner, { maxListLength: 1 });
  try {
    await cache.insert(PROPERTIES, property({ name: "a" }));
    await cache.insert(PROPERTIES, property({ name: "b" }));

    assert.deepEqual(await names(cache.getAll(PROPERTIES, ALICE)), ["a", "b"]);
    assert.deepEqual(await names(cache.getAll(PROPERTIES, ALICE)), ["a", "b"]);
    assert.equal(inner.reads, 2);
  } finally {
    await cache.close();
  }
});

/** Holds each `get` result until the test opens the gate. */
class GatedDatabase extends SqliteDatabase {
  gate: Promise<void> = Promise.resolve();

  override async get(collection: string, id: string, context: PermissionContext) {
    const result = await super.get(collection, id, context);
    await this.gate;
    return result;
  }
}

Deno.test("CachingDatabase does not cache a read that overlapped a write", async () => {
  const inner = new GatedDatabase();
  const cache = new CachingDatabase(inner);
  try {
    const id = await inner.insert(PROPERTIES, property({ name: "racy", value: "1" }));
    const stored = await inner.get(PROPERTIES, id, ALICE);
    assert.ok(stored);
    let openGate: () => void = () => {};
    inner.gate = new Promise<void>((resolve) => {
      openGate = resolve;
    });

    const pendingRead = cache.get(PROPERTIES, id, ALICE);
    await cache.update(PROPERTIES, { ...stored, value: "2" }, ALICE);
    openGate();

    assert.equal((await pendingRead)?.value, "1");
    assert.equal(cache.size, 0, "the stale read was cached");
  } finally {
    await cache.close();
  }
});

Deno.test("CachingDatabase entries expire after the TTL", async () => {
  await withCache(async (cache, inner) => {
    const id = await cache.insert(PROPERTIES, property({ name: "short-lived" }));
    await cache.get(PROPERTIES, id, ALICE);

    await new Promise((resolve) => setTimeout(resolve, 60));
    await cache.get(PROPERTIES, id, ALICE);

    assert.equal(inner.reads, 2);
  }, 20);
});

Deno.test("CachingDatabase results are copies", async () => {
  await withCache(async (cache) => {
    const id = await cache.insert(PROPERTIES, property({ name: "copied", value: "1" }));

    const first = await cache.get(PROPERTIES, id, ALICE);
    assert.ok(first);
    first.value = "changed by caller";
    const second = await cache.get(PROPERTIES, id, ALICE);

    assert.equal(second?.value, "1");
  });
});

Deno.test("CachingDatabase passes content through", async () => {
  await withCache(async (cache) => {
    const id = await cache.insert(PROPERTIES, property({ name: "with-content" }));

    const stored = await cache.putContent(
      PROPERTIES,
      id,
      new Blob(["x"]).stream(),
      "text/plain",
      ALICE,
    );
    const content = await cache.getContent(PROPERTIES, id, ALICE);

    assert.equal(stored, true);
    assert.equal(await new Response(content?.stream).text(), "x");
  });
});
