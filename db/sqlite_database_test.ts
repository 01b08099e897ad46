import { SqliteDatabase } from "./sqlite_database.ts";
import { runDatabaseConformance } from "../testing/database_conformance.ts";

runDatabaseConformance("SqliteDatabase", () => Promise.resolve(new SqliteDatabase()));

/** The temporary directory of each file-backed store, removed when the suite disposes of it. */
const directories = new WeakMap<SqliteDatabase, string>();

runDatabaseConformance(
  "SqliteDatabase in a file",
  async () => {
    const directory = await Deno.makeTempDir({ prefix: "hea-sqlite-" });
    const database = new SqliteDatabase({ path: `${directory}/store.db`, synchronous: "normal" });
    directories.set(database, directory);
    return database;
  },
  {
    dispose: async (database) => {
      await database.close();
      await Deno.remove(directories.get(database) as string, { recursive: true });
    },
  },
);
