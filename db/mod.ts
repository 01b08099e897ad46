/**
 * Stores of desktop objects: the {@linkcode Database} interface, the embedded SQLite store that a
 * service uses by default, and the permission filter that every store applies.
 *
 * @example Keep objects in the embedded store
 * ```ts
 * import { SqliteDatabase } from "@hea/server/db";
 * import { newObject, PermissionContext, PropertyType, type DesktopObject } from "@hea/server/objects";
 * import assert from "node:assert/strict";
 *
 * const database = new SqliteDatabase();
 * const id = await database.insert("properties", { ...newObject(PropertyType), name: "a" } as DesktopObject);
 * const all = await Array.fromAsync(database.getAll("properties", new PermissionContext("system|none")));
 * assert.deepEqual(all.map((object) => object.id), [id]);
 * await database.close();
 * ```
 *
 * @module
 */

export * from "./database.ts";
export * from "./duplicate_name_error.ts";
export * from "./object_id.ts";
export * from "./permission_filter.ts";
export * from "./sqlite_database.ts";
export * from "./database_unavailable_error.ts";
export * from "./content.ts";
export * from "./mongo_config.ts";
export * from "./mongo_database.ts";
export * from "./query_safety.ts";
export * from "./response_cache.ts";
export * from "./update_conflict_error.ts";
