/**
 * The benchmark data: registry components like the registry's samples, loaded straight into each
 * store in the layout that the store writes itself.
 *
 * @module
 */

import { MongoClient, ObjectId } from "mongodb";
import {
  ComponentType,
  type DesktopObject,
  MongoDatabase,
  parseObject,
  PropertyType,
  SqliteDatabase,
} from "../mod.ts";
import { REGISTRY_TYPES } from "../examples/registry/service.ts";

/** The collection that scenarios (a), (b) and (d) read. */
export const COMPONENTS = "components";

/** The collection that scenario (c) creates objects in and deletes them from. */
export const PROPERTIES = "properties";

/** The owner of every loaded object, as of the registry's samples. */
const OWNER = "system|none";

/** The caller of every benchmark request. */
export const CALLER = "system|test";

/** Objects inserted per MongoDB `insertMany` command. */
const MONGO_BATCH = 500;

/**
 * Returns component number `index` as request input: two resources and a share that lets every
 * user view it, so a caller sees it through the share, as callers see HEA's registry. Component 0
 * is the registry's own entry, whose resources name the registry's types. heaserver reads it
 * before every POST to check who may create properties.
 */
export function componentInput(index: number): Record<string, unknown> {
  const name = index === 0
    ? "heaserver-registry"
    : `bench-component-${String(index).padStart(5, "0")}`;
  const baseUrl = `http://localhost:${9000 + (index % 1000)}`;

  return {
    type: "heaobject.registry.Component",
    name,
    display_name: name,
    description: `Benchmark component ${index}`,
    base_url: baseUrl,
    external_base_url: baseUrl,
    owner: OWNER,
    resources: index === 0 ? REGISTRY_RESOURCES : [
      resource(`bench.type.Folder${index}`, `folders${index}`),
      resource(`bench.type.Item${index}`, `items${index}`),
    ],
    user_shares: [{
      type: "heaobject.root.ShareImpl",
      user: "system|all",
      permissions: ["VIEWER"],
    }],
  };
}

/** The registry's resources; the benchmark's caller may create properties. */
const REGISTRY_RESOURCES: readonly Record<string, unknown>[] = [
  resource("heaobject.registry.Component", COMPONENTS),
  {
    ...resource("heaobject.registry.Property", PROPERTIES),
    manages_creators: true,
    creator_users: [CALLER],
  },
];

function resource(typeName: string, basePath: string): Record<string, unknown> {
  return { type: "heaobject.registry.Resource", resource_type_name: typeName, base_path: basePath };
}

/** Parses component number `index` as the registry's POST handler would. */
function componentObject(index: number): DesktopObject {
  const input = componentInput(index);
  const object = parseObject(input, ComponentType, { registry: REGISTRY_TYPES }) as DesktopObject;
  object.owner = OWNER;

  return object;
}

/**
 * Creates an SQLite file holding `count` components and returns their ids in insertion order. The
 * store's own `insert` writes them, with `synchronous = normal` so loading does not wait for a
 * disk flush per object.
 */
export async function loadSqlite(path: string, count: number): Promise<string[]> {
  const database = new SqliteDatabase({ path, synchronous: "normal" });
  try {
    await database.ensureCollection(COMPONENTS, { type: ComponentType, uniqueName: true });
    await database.ensureCollection(PROPERTIES, { type: PropertyType, uniqueName: true });
    const ids: string[] = [];
    for (let index = 0; index < count; index++) {
      ids.push(await database.insert(COMPONENTS, componentObject(index)));
    }
    return ids;
  } finally {
    await database.close();
  }
}

/**
 * Drops database `databaseName` and fills it with `count` components, returning their ids in
 * insertion order. Component 0 goes through the MongoDB store's `insert`. The others are laid out
 * as that method lays them out and sent in batches with `insertMany`, because one round trip per
 * object makes 10,000 objects slow on FerretDB.
 *
 * @throws {Error} when the documents written here have other fields than the store's.
 */
export async function loadMongo(
  serverUrl: string,
  databaseName: string,
  count: number,
): Promise<string[]> {
  const store = new MongoDatabase({ url: `${serverUrl}${databaseName}`, databaseName });
  let firstId: string;
  try {
    await store.dropDatabase();
    await store.ensureCollection(COMPONENTS, { type: ComponentType, uniqueName: true });
    await store.ensureCollection(PROPERTIES, { type: PropertyType, uniqueName: true });
    firstId = await store.insert(COMPONENTS, componentObject(0));
  } finally {
    await store.close();
  }

  const client = new MongoClient(`${serverUrl}${databaseName}`);
  try {
    const collection = client.db(databaseName).collection(COMPONENTS);
    const written = await collection.findOne({ _id: new ObjectId(firstId) });
    const expectedFields = Object.keys(written ?? {}).join();
    const ids = [firstId];
    let batch: Record<string, unknown>[] = [];
    for (let index = 1; index < count; index++) {
      const document = storedDocument(componentObject(index));
      if (index === 1 && Object.keys(document).join() !== expectedFields) {
        throw new Error(
          `The benchmark lays out components as ${
            Object.keys(document)
          }, the store as ${expectedFields}`,
        );
      }
      ids.push((document._id as ObjectId).toHexString());
      batch.push(document);
      if (batch.length === MONGO_BATCH) {
        await collection.insertMany(batch);
        batch = [];
      }
    }
    if (batch.length > 0) {
      await collection.insertMany(batch);
    }
    return ids;
  } finally {
    await client.close();
  }
}

/** Lays out a new object as the MongoDB store's `insert` does: `_id` first, in place of `id`. */
function storedDocument(object: DesktopObject): Record<string, unknown> {
  const objectId = new ObjectId();
  const id = objectId.toHexString();
  const now = new Date().toISOString();
  const { id: _id, ...attributes } = {
    ...object,
    id,
    instance_id: `${object.type}^${id}`,
    created: now,
    modified: now,
  };

  return { _id: objectId, ...attributes };
}

/** Drops a MongoDB database that the harness created. */
export async function dropMongo(serverUrl: string, databaseName: string): Promise<void> {
  const client = new MongoClient(`${serverUrl}${databaseName}`);
  try {
    await client.db(databaseName).dropDatabase();
  } finally {
    await client.close();
  }
}
