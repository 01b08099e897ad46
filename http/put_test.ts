import assert from "node:assert/strict";
import {
  type Database,
  mongoConfigFromUrl,
  MongoDatabase,
  SqliteDatabase,
  UpdateConflictError,
} from "../db/mod.ts";
import {
  type DesktopObject,
  newObject,
  PermissionContext,
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
      new MongoDatabase(mongoConfigFromUrl(mongo.url, `put_${crypto.randomUUID().slice(0, 8)}`)),
  },
];

async function closeStore(database: Database): Promise<void> {
  if (database instanceof MongoDatabase) {
    await database.dropDatabase();
  }
  await database.close();
}

for (const store of STORES) {
  Deno.test({
    name: `concurrent partial PUTs all take effect on ${store.name}`,
    ignore: store.ignore,
    fn: async () => {
      const database = store.open();
      const router = await mountCollection(new Router(), {
        collection: "notes",
        type: PropertyType,
        registry: new TypeRegistry([PropertyType]),
        database,
      });
      const id = await database.insert(
        "notes",
        { ...newObject(PropertyType), name: "note", owner: "alice" } as DesktopObject,
      );
      await using server = startTestServer(router.fetch, {
        onShutdown: () => closeStore(database),
      });
      const put = (body: Record<string, unknown>) =>
        fetch(`${server.url}/notes/${id}`, {
          method: "PUT",
          headers: { OIDC_CLAIM_sub: "alice", "content-type": "application/json" },
          body: JSON.stringify({ type: PropertyType.name, ...body }),
        });

      for (let round = 0; round < 10; round++) {
        const responses = await Promise.all([
          put({ value: `value ${round}` }),
          put({ description: `description ${round}` }),
          put({ display_name: `display ${round}` }),
        ]);
        for (const response of responses) {
          assert.equal(response.status, 204, await response.text());
        }

        const stored = await database.get("notes", id, new PermissionContext("alice"));
        assert.equal(stored?.value, `value ${round}`);
        assert.equal(stored?.description, `description ${round}`);
        assert.equal(stored?.display_name, `display ${round}`);
      }
    },
  });

  Deno.test({
    name: `update with a stale modified conflicts on ${store.name}`,
    ignore: store.ignore,
    fn: async () => {
      const database = store.open();
      try {
        const alice = new PermissionContext("alice");
        const id = await database.insert(
          "notes",
          { ...newObject(PropertyType), name: "note", owner: "alice" } as DesktopObject,
        );
        const read = await database.get("notes", id, alice) as DesktopObject;

        assert.equal(
          await database.update("notes", { ...read, value: "first" }, alice, {
            expectedModified: read.modified,
          }),
          true,
        );
        await assert.rejects(
          database.update("notes", { ...read, value: "second" }, alice, {
            expectedModified: read.modified,
          }),
          UpdateConflictError,
        );
        const stored = await database.get("notes", id, alice);
        assert.equal(stored?.value, "first");
        assert.notEqual(stored?.modified, read.modified);
      } finally {
        await closeStore(database);
      }
    },
  });
}

for (const store of STORES) {
  Deno.test({
    name: `values a store cannot keep are a 400 on ${store.name}`,
    ignore: store.ignore,
    fn: async () => {
      const { attribute, defineDesktopObjectType } = await import("../objects/mod.ts");
      const Note = defineDesktopObjectType({
        name: "example.note.Note",
        displayName: "Note",
        attributes: { extra: attribute.json() },
      });
      const database = store.open();
      const router = await mountCollection(new Router(), {
        collection: "notes",
        type: Note,
        registry: new TypeRegistry([Note]),
        database,
        uniqueName: false,
      });
      await using server = startTestServer(router.fetch, {
        onShutdown: () => closeStore(database),
      });

      const values: unknown[] = [{ $where: "1" }, { "a.b": 1 }, { "a\u0000b": 1 }, {
        nested: { $gt: "" },
      }];
      if (store.name === "MongoDB") {
        values.push([[1, 2], [3]]);
      }
      for (const extra of values) {
        const response = await fetch(`${server.url}/notes`, {
          method: "POST",
          headers: { OIDC_CLAIM_sub: "alice", "content-type": "application/json" },
          body: JSON.stringify({ type: Note.name, extra }),
        });
        const text = await response.text();
        assert.equal(response.status, 400, `${JSON.stringify(extra)}: ${text}`);
      }
    },
  });
}
