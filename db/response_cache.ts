/**
 * An optional per-user cache of read results in front of any {@linkcode Database}, for services
 * whose clients read the same objects again and again.
 *
 * @module
 */

import { LRUCache } from "lru-cache";
import type { DesktopObject, PermissionContext } from "../objects/mod.ts";
import type { Content, ContentStore } from "./content.ts";
import type { CollectionSettings, Database, GetAllOptions, UpdateOptions } from "./database.ts";

/** Options of {@linkcode CachingDatabase}. */
export interface ResponseCacheOptions {
  /** How long an entry is served, in milliseconds. Default 30000, as in Python HEA. */
  readonly ttlMs?: number;
  /** The maximum number of entries, of which the least recently used go first. Default 128, as in Python HEA. */
  readonly maxEntries?: number;
  /** Listings with more objects than this are streamed without being cached. Default 1000. */
  readonly maxListLength?: number;
}

/** One cached result and the collection it came from, so that writes can find it. */
interface CacheEntry {
  readonly collection: string;
  readonly value: DesktopObject | null | readonly DesktopObject[];
}

const DEFAULT_TTL_MS = 30_000;
const DEFAULT_MAX_ENTRIES = 128;
const DEFAULT_MAX_LIST_LENGTH = 1000;

/**
 * A {@linkcode Database} that caches the results of `get`, `getByName` and unpaginated, unfiltered
 * `getAll` per caller, so handlers need no change to use it. Nothing caches unless a service wraps
 * its store in this class.
 *
 * - Keys hold the caller (user id, groups, and whether it bypasses checks), the collection and the
 *   request: the id, the name, or the sort of a listing.
 * - Every write through this wrapper (`insert`, `update`, `delete`, `ensureCollection`) drops every
 *   entry of the collection, for all users, by-name entries included. A write can change any
 *   caller's view of the collection, and the names it touched are not always known, because a
 *   delete gives only an id. A read that was under way during a write is not cached.
 * - `getAll` with a filter, a `begin` above 0 or an `end` bypasses the cache, because those come
 *   from query parameters. `begin: 0`, which the `getAll` handler passes for every unpaginated
 *   listing, is cached. Use {@linkcode CachingDatabase.inner} to bypass it for other requests.
 * - Results are copied into and out of the cache, so callers may change what they receive.
 *
 * Writes made by other processes, or directly on {@linkcode CachingDatabase.inner}, are not seen:
 * entries then stay stale for at most `ttlMs`.
 *
 * @example Serve the second read from the cache
 * ```ts
 * import { CachingDatabase, SqliteDatabase } from "@hea/server/db";
 * import { newObject, PermissionContext, PropertyType, type DesktopObject } from "@hea/server/objects";
 * import assert from "node:assert/strict";
 *
 * const database = new CachingDatabase(new SqliteDatabase(), { ttlMs: 10_000 });
 * const alice = new PermissionContext("alice");
 * const id = await database.insert("properties", { ...newObject(PropertyType), owner: "alice", name: "a" } as DesktopObject);
 * assert.equal((await database.get("properties", id, alice))?.name, "a");
 * assert.equal(database.size, 1);
 * await database.delete("properties", id, alice);
 * assert.equal(database.size, 0);
 * assert.equal(await database.get("properties", id, alice), null);
 * await database.close();
 * ```
 */
export class CachingDatabase implements Database, ContentStore {
  /** The wrapped store; reads made on it bypass the cache, and writes made on it are not seen. */
  readonly inner: Database;

  readonly #cache: LRUCache<string, CacheEntry>;
  readonly #maxListLength: number;
  /** Counts the writes per collection, so that a read that overlapped a write is not cached. */
  readonly #generations: Map<string, number> = new Map();

  /** Wraps `inner` with a cache configured by `options`. */
  constructor(inner: Database, options: ResponseCacheOptions = {}) {
    this.inner = inner;
    this.#maxListLength = options.maxListLength ?? DEFAULT_MAX_LIST_LENGTH;
    this.#cache = new LRUCache<string, CacheEntry>({
      max: options.maxEntries ?? DEFAULT_MAX_ENTRIES,
      ttl: options.ttlMs ?? DEFAULT_TTL_MS,
    });
  }

  /** The number of cached results, expired ones not yet evicted included. */
  get size(): number {
    return this.#cache.size;
  }

  /** Prepares the collection in the wrapped store and drops the collection's entries. */
  async ensureCollection(collection: string, settings: CollectionSettings): Promise<void> {
    try {
      await this.inner.ensureCollection(collection, settings);
    } finally {
      this.#invalidate(collection);
    }
  }

  /** Returns the object from the cache, else from the wrapped store. */
  async get(
    collection: string,
    id: string,
    context: PermissionContext,
  ): Promise<DesktopObject | null> {
    const key = cacheKey(collection, context, "id", id);
    const cached = this.#cache.get(key);
    if (cached) {
      return structuredClone(cached.value as DesktopObject | null);
    }

    const generation = this.#generation(collection);
    const object = await this.inner.get(collection, id, context);
    this.#store(key, collection, generation, object);

    return object;
  }

  /** Returns the object with the name from the cache, else from the wrapped store. */
  async getByName(
    collection: string,
    name: string,
    context: PermissionContext,
  ): Promise<DesktopObject | null> {
    const key = cacheKey(collection, context, "name", name);
    const cached = this.#cache.get(key);
    if (cached) {
      return structuredClone(cached.value as DesktopObject | null);
    }

    const generation = this.#generation(collection);
    const object = await this.inner.getByName(collection, name, context);
    this.#store(key, collection, generation, object);

    return object;
  }

  /**
   * Streams the listing from the cache, else from the wrapped store. The listing is cached when it
   * was read to the end and contains at most `maxListLength` objects. Filtered or paginated
   * listings are never cached.
   */
  async *getAll(
    collection: string,
    context: PermissionContext,
    options: GetAllOptions = {},
  ): AsyncGenerator<DesktopObject> {
    const filtered = options.filter !== undefined && Object.keys(options.filter).length > 0;
    if (filtered || (options.begin ?? 0) > 0 || options.end !== undefined) {
      yield* this.inner.getAll(collection, context, options);
      return;
    }

    const key = cacheKey(collection, context, "all", options.sort ?? []);
    const cached = this.#cache.get(key);
    if (cached) {
      for (const object of cached.value as readonly DesktopObject[]) {
        yield structuredClone(object);
      }
      return;
    }

    const generation = this.#generation(collection);
    let copies: DesktopObject[] | null = [];
    for await (const object of this.inner.getAll(collection, context, options)) {
      if (copies !== null && copies.length >= this.#maxListLength) {
        copies = null;
      }
      copies?.push(structuredClone(object));
      yield object;
    }
    if (copies !== null && generation === this.#generation(collection)) {
      this.#cache.set(key, { collection, value: copies });
    }
  }

  /** Inserts through the wrapped store and drops the collection's entries. */
  async insert(collection: string, object: DesktopObject): Promise<string> {
    try {
      return await this.inner.insert(collection, object);
    } finally {
      this.#invalidate(collection);
    }
  }

  /** Updates through the wrapped store and drops the collection's entries. */
  async update(
    collection: string,
    object: DesktopObject,
    context: PermissionContext,
    options?: UpdateOptions,
  ): Promise<boolean> {
    try {
      return await this.inner.update(collection, object, context, options);
    } finally {
      this.#invalidate(collection);
    }
  }

  /** Deletes through the wrapped store and drops the collection's entries. */
  async delete(collection: string, id: string, context: PermissionContext): Promise<boolean> {
    try {
      return await this.inner.delete(collection, id, context);
    } finally {
      this.#invalidate(collection);
    }
  }

  /**
   * Returns the content from the wrapped store; content is not cached.
   *
   * @throws {TypeError} when the wrapped store stores no content.
   */
  getContent(collection: string, id: string, context: PermissionContext): Promise<Content | null> {
    return this.#contentStore().getContent(collection, id, context);
  }

  /**
   * Stores the content through the wrapped store. Cached objects stay valid, because content is
   * not part of an object's attributes.
   *
   * @throws {TypeError} when the wrapped store stores no content.
   */
  putContent(
    collection: string,
    id: string,
    stream: ReadableStream<Uint8Array>,
    contentType: string,
    context: PermissionContext,
  ): Promise<boolean> {
    return this.#contentStore().putContent(collection, id, stream, contentType, context);
  }

  /** Empties the cache and closes the wrapped store. */
  async close(): Promise<void> {
    this.#cache.clear();
    await this.inner.close();
  }

  #contentStore(): ContentStore {
    const inner = this.inner as Partial<ContentStore>;
    if (typeof inner.getContent !== "function" || typeof inner.putContent !== "function") {
      throw new TypeError(
        "The database wrapped by CachingDatabase stores no content; wrap a store that implements ContentStore",
      );
    }

    return inner as ContentStore;
  }

  #generation(collection: string): number {
    return this.#generations.get(collection) ?? 0;
  }

  #store(
    key: string,
    collection: string,
    generation: number,
    object: DesktopObject | null,
  ): void {
    if (generation === this.#generation(collection)) {
      this.#cache.set(key, { collection, value: structuredClone(object) });
    }
  }

  #invalidate(collection: string): void {
    this.#generations.set(collection, this.#generation(collection) + 1);

    const stale: string[] = [];
    for (const [key, entry] of this.#cache.entries()) {
      if (entry.collection === collection) {
        stale.push(key);
      }
    }
    for (const key of stale) {
      this.#cache.delete(key);
    }
  }
}

/** Builds a key from the caller, the collection, the request kind and its detail. */
function cacheKey(
  collection: string,
  context: PermissionContext,
  kind: "id" | "name" | "all",
  detail: unknown,
): string {
  const caller = [context.bypassesChecks, context.sub, [...context.groups].sort()];

  return JSON.stringify([caller, collection, kind, detail]);
}
