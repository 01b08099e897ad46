/**
 * examples/registry on MongoDB behind the framework's read cache, `CachingDatabase` with its
 * defaults (30 s, 128 entries). heaserver caches reads the same way by default, so this variant
 * compares reads with the Python original like for like; examples/registry itself does not cache.
 *
 * Usage: `deno run -A bench/cached_registry.ts --port PORT --mongodb mongodb://HOST:PORT/DATABASE`
 *
 * @module
 */

import { parseArgs } from "node:util";
import { CachingDatabase, mongoConfigFromUrl, MongoDatabase, serve } from "../mod.ts";
import { addSampleData, createRegistryService } from "../examples/registry/service.ts";

const { values } = parseArgs({
  options: { port: { type: "string" }, mongodb: { type: "string" } },
});
if (!values.port || !values.mongodb) {
  throw new TypeError(
    "Usage: cached_registry.ts --port PORT --mongodb mongodb://HOST:PORT/DATABASE",
  );
}

const database = new CachingDatabase(new MongoDatabase(mongoConfigFromUrl(values.mongodb)));
await addSampleData(database);
const router = await createRegistryService({ database });
serve(router.fetch, { port: Number(values.port), onShutdown: () => database.close() });
