/**
 * A minimal content service for scenario (e), built from the public API only, for when
 * examples/registry serves no content: one collection of `bench.data.File` objects, mounted with
 * `content: true`, so `GET` and `PUT /files/{id}/content` go through the store's `ContentStore`.
 *
 * Usage: `deno run -A bench/content_server.ts --port PORT (--database FILE | --mongodb URL)`
 *
 * @module
 */

import { parseArgs } from "node:util";
import {
  attribute,
  type Database,
  defineDesktopObjectType,
  mongoConfigFromUrl,
  MongoDatabase,
  mountCollection,
  Router,
  serve,
  SqliteDatabase,
  TypeRegistry,
} from "../mod.ts";

/** The collection that contains the content objects. */
export const FILES_COLLECTION = "files";

/** The largest upload the service accepts, in bytes: room for the 10 MiB of scenario (e). */
const MAX_UPLOAD_BYTES = 64 * 1024 * 1024;

/** A desktop object whose content is a file's bytes. */
export const FileType = defineDesktopObjectType({
  name: "bench.data.File",
  displayName: "File",
  attributes: { size: attribute.number() },
});

if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      port: { type: "string" },
      database: { type: "string" },
      mongodb: { type: "string" },
    },
  });
  const mongo = values.mongodb ? mongoConfigFromUrl(values.mongodb) : undefined;
  const path = values.database;
  if (!values.port || (!mongo && !path)) {
    throw new TypeError(
      "Usage: content_server.ts --port PORT (--database FILE | --mongodb mongodb://HOST:PORT/DATABASE)",
    );
  }
  const database: Database = mongo
    ? new MongoDatabase(mongo)
    : new SqliteDatabase(path ? { path } : {});

  // The router's default 1 MiB body limit would reject the content upload before the content
  // route's own limit applies.
  const router = await mountCollection(new Router({ limits: { maxBodyBytes: MAX_UPLOAD_BYTES } }), {
    collection: FILES_COLLECTION,
    type: FileType,
    registry: new TypeRegistry([FileType]),
    database,
    content: true,
    maxContentBytes: MAX_UPLOAD_BYTES,
  });
  serve(router.fetch, {
    port: Number(values.port),
    onShutdown: () => database.close(),
  });
}
