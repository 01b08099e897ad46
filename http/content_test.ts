import assert from "node:assert/strict";
import { type Database, mongoConfigFromUrl, MongoDatabase, SqliteDatabase } from "../db/mod.ts";
import {
  AdminPermissionContext,
  type DesktopObject,
  newObject,
  PropertyType,
  TypeRegistry,
} from "../objects/mod.ts";
import { integrationServer, startTestServer } from "../testing/mod.ts";
import { mountCollection } from "./collection_routes.ts";
import { Router } from "./router.ts";

const mongo = integrationServer("HEA_TEST_MONGODB_URL", "scripts/start_ferretdb.sh");

const STORES: { name: string; ignore: boolean; open: () => Database }[] = [
  { name: "SQLite", ignore: false, open: () => new SqliteDatabase() },
  {
    name: "MongoDB",
    ignore: mongo.ignore,
    open: () =>
      new MongoDatabase(
        mongoConfigFromUrl(mongo.url, `content_${crypto.randomUUID().slice(0, 8)}`),
      ),
  },
];

async function startContentService(database: Database) {
  const dropAfterwards = database instanceof MongoDatabase;
  const router = await mountCollection(new Router(), {
    collection: "documents",
    type: PropertyType,
    registry: new TypeRegistry([PropertyType]),
    database,
    content: true,
    maxContentBytes: 1024 * 1024,
  });
  const owned = {
    ...newObject(PropertyType),
    name: "owned",
    owner: "alice",
    user_shares: [
      {
        type: "heaobject.root.ShareImpl",
        user: "bob",
        group: "system|none",
        basis: "USER",
        permissions: ["VIEWER"],
      },
    ],
  } as DesktopObject;
  owned.shares = owned.user_shares;
  const id = await database.insert("documents", owned);
  const server = startTestServer(router.fetch, {
    onShutdown: async () => {
      if (dropAfterwards) {
        await database.dropDatabase();
      }
      await database.close();
    },
  });
  return { server, id };
}

for (const store of STORES) {
  Deno.test({
    name: `content round trip on ${store.name}`,
    ignore: store.ignore,
    fn: async () => {
      const { server, id } = await startContentService(store.open());
      try {
        const url = `${server.url}/documents/${id}/content`;
        const bytes = new Uint8Array(300_000).map((_, index) => index % 251);

        const missing = await fetch(url, { headers: { OIDC_CLAIM_sub: "alice" } });
        assert.equal(missing.status, 404);
        await missing.body?.cancel();

        const stored = await fetch(url, {
          method: "PUT",
          headers: { OIDC_CLAIM_sub: "alice", "content-type": "application/x-test" },
          body: bytes,
        });
        assert.equal(stored.status, 204);

        const read = await fetch(url, { headers: { OIDC_CLAIM_sub: "bob" } });
        assert.equal(read.status, 200);
        assert.equal(read.headers.get("content-type"), "application/x-test");
        assert.deepEqual(new Uint8Array(await read.arrayBuffer()), bytes);
      } finally {
        await server.close();
      }
    },
  });

  Deno.test({
    name: `content permissions and limits on ${store.name}`,
    ignore: store.ignore,
    fn: async () => {
      const { server, id } = await startContentService(store.open());
      try {
        const url = `${server.url}/documents/${id}/content`;
        const put = (sub: string, body: BodyInit) =>
          fetch(url, {
            method: "PUT",
            headers: { OIDC_CLAIM_sub: sub, "content-type": "text/plain" },
            body,
          });

        assert.equal((await put("alice", "original")).status, 204);
        const viewer = await put("bob", "changed");
        assert.equal(viewer.status, 403);
        await viewer.body?.cancel();
        const stranger = await put("mallory", "changed");
        assert.equal(stranger.status, 404);
        await stranger.body?.cancel();
        const oversized = await put("alice", "x".repeat(1024 * 1024 + 1));
        assert.equal(oversized.status, 413);
        await oversized.body?.cancel();
        const streamedOversize = await put(
          "alice",
          new ReadableStream({
            start(controller) {
              for (let chunk = 0; chunk < 20; chunk++) {
                controller.enqueue(new Uint8Array(64 * 1024));
              }
              controller.close();
            },
          }),
        );
        assert.equal(streamedOversize.status, 413);
        await streamedOversize.body?.cancel();

        const read = await fetch(url, { headers: { OIDC_CLAIM_sub: "alice" } });
        assert.equal(await read.text(), "original", "failed uploads must not replace the content");
      } finally {
        await server.close();
      }
    },
  });

  Deno.test({
    name: `deleting an object deletes its content on ${store.name}`,
    ignore: store.ignore,
    fn: async () => {
      const database = store.open();
      const { server, id } = await startContentService(database);
      try {
        const url = `${server.url}/documents/${id}/content`;
        const stored = await fetch(url, {
          method: "PUT",
          headers: { OIDC_CLAIM_sub: "alice" },
          body: "bytes",
        });
        assert.equal(stored.status, 204);

        const deleted = await fetch(`${server.url}/documents/${id}`, {
          method: "DELETE",
          headers: { OIDC_CLAIM_sub: "alice" },
        });
        assert.equal(deleted.status, 204);

        const content = await (database as unknown as {
          getContent: (c: string, i: string, p: AdminPermissionContext) => Promise<unknown>;
        })
          .getContent("documents", id, new AdminPermissionContext());
        assert.equal(content, null);
      } finally {
        await server.close();
      }
    },
  });
}

Deno.test("content is served so that browsers do not render it", async () => {
  const { server, id } = await startContentService(new SqliteDatabase());
  try {
    const url = `${server.url}/documents/${id}/content`;
    const stored = await fetch(url, {
      method: "PUT",
      headers: { OIDC_CLAIM_sub: "alice", "content-type": "text/html" },
      body: "<script>alert(1)</script>",
    });
    assert.equal(stored.status, 204);
    const invalidType = await fetch(url, {
      method: "PUT",
      headers: { OIDC_CLAIM_sub: "alice", "content-type": 'a"b' },
      body: "x",
    });
    assert.equal(invalidType.status, 400);
    await invalidType.body?.cancel();

    const read = await fetch(url, { headers: { OIDC_CLAIM_sub: "bob" } });
    await read.body?.cancel();
    assert.equal(read.headers.get("content-type"), "text/html");
    assert.equal(read.headers.get("x-content-type-options"), "nosniff");
    assert.equal(read.headers.get("content-disposition"), "attachment");
    assert.equal(read.headers.get("content-security-policy"), "sandbox");
  } finally {
    await server.close();
  }
});

Deno.test("content uploads take the content limit, not the router's body limit", async () => {
  const database = new SqliteDatabase();
  const router = await mountCollection(new Router({ limits: { maxBodyBytes: 1024 } }), {
    collection: "documents",
    type: PropertyType,
    registry: new TypeRegistry([PropertyType]),
    database,
    content: true,
    maxContentBytes: 64 * 1024,
  });
  const id = await database.insert(
    "documents",
    { ...newObject(PropertyType), name: "owned", owner: "alice" } as DesktopObject,
  );
  await using server = startTestServer(router.fetch, { onShutdown: () => database.close() });
  const url = `${server.url}/documents/${id}/content`;

  const upload = await fetch(url, {
    method: "PUT",
    headers: { OIDC_CLAIM_sub: "alice" },
    body: new Uint8Array(32 * 1024),
  });
  const tooLargeDocument = await fetch(`${server.url}/documents/${id}`, {
    method: "PUT",
    headers: { OIDC_CLAIM_sub: "alice", "content-type": "application/json" },
    body: JSON.stringify({ type: PropertyType.name, description: "x".repeat(2048) }),
  });

  assert.equal(upload.status, 204);
  assert.equal(tooLargeDocument.status, 413);
  await tooLargeDocument.body?.cancel();
});
