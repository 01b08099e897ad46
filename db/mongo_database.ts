/**
 * The MongoDB store: desktop objects as MongoDB documents laid out as Python HEA lays them out, so
 * that a TypeScript service and a Python service can share a database, and content in GridFS.
 *
 * @module
 */

import {
  type AggregationCursor,
  type Db,
  type Document,
  type FindCursor,
  GridFSBucket,
  type GridFSBucketReadStream,
  MongoClient,
  type MongoClientOptions,
  MongoNetworkError,
  MongoServerError,
  MongoServerSelectionError,
  MongoTopologyClosedError,
  ObjectId,
} from "mongodb";
import { Readable } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import { pipeline } from "node:stream/promises";
import { getLogger } from "@logtape/logtape";
import {
  DELETER_PERMISSIONS,
  type DesktopObject,
  GETTER_PERMISSIONS,
  InvalidObjectError,
  NONE_USER,
  type ObjectType,
  type Permission,
  type PermissionContext,
  PUTTER_PERMISSIONS,
} from "../objects/mod.ts";
import {
  fromStoredDocument,
  isPlainObject,
  relaxElemMatch,
  toStoredDocument,
  toStoredFilter,
  toStoredSort,
} from "./_mongo_mapping.ts";
import type { Content, ContentStore } from "./content.ts";
import type {
  CollectionSettings,
  Database,
  Filter,
  GetAllOptions,
  UpdateOptions,
} from "./database.ts";
import { DatabaseUnavailableError } from "./database_unavailable_error.ts";
import { DuplicateNameError } from "./duplicate_name_error.ts";
import { KeyedMutex } from "./_keyed_mutex.ts";
import { nextModified, UpdateConflictError } from "./update_conflict_error.ts";
import { type MongoConfig, redactConnectionString } from "./mongo_config.ts";
import { isObjectId } from "./object_id.ts";
import { andFilters, permissionFilter } from "./permission_filter.ts";
import { assertSafeSort } from "./query_safety.ts";

/** Options of {@linkcode MongoDatabase}: the server's location and how long to wait for it. */
export interface MongoDatabaseOptions extends MongoConfig {
  /**
   * How long an operation waits for a reachable server before it fails with
   * {@linkcode DatabaseUnavailableError}, in milliseconds. Also the connect timeout. Default 3000.
   */
  readonly serverSelectionTimeoutMs?: number;
  /** The `Retry-After` that a {@linkcode DatabaseUnavailableError} advises, in seconds. Default 5. */
  readonly retryAfterSeconds?: number;
  /**
   * Further options for the driver's `MongoClient`, as its `MongoClientOptions` type describes
   * them; they override this class's defaults. Typed loosely so that this package's public types do
   * not depend on the driver's.
   */
  readonly clientOptions?: Readonly<Record<string, unknown>>;
}

/** Features of the connected server, as {@linkcode MongoDatabase.serverFeatures} detects them. */
export interface MongoServerFeatures {
  /** `ferretdb` when the server reports a FerretDB version, else `mongodb`. */
  readonly product: "mongodb" | "ferretdb";
  /** The product's version: FerretDB's own version, or the MongoDB server version. */
  readonly version: string;
  /**
   * Whether `$elemMatch` takes field conditions, such as `{ $elemMatch: { user: "x" } }`. FerretDB
   * v1 supports only the operator form, so the store then matches shares with a broader query and
   * checks every result in code.
   */
  readonly documentElemMatch: boolean;
  /** Whether indexes take `partialFilterExpression`, which FerretDB v1 rejects. */
  readonly partialIndexes: boolean;
}

/** The result of a permission query plan: the filter, and whether it is exact. */
interface PermissionQuery {
  readonly filter: Filter;
  /** True when every document the filter matches passes the check in code, so skip and limit can run on the server. */
  readonly exact: boolean;
}

/** The name of the index that makes names unique in a collection. */
export const MONGO_UNIQUE_NAME_INDEX = "hea_unique_name";

const DEFAULT_SERVER_SELECTION_TIMEOUT_MS = 3000;
const DEFAULT_RETRY_AFTER_SECONDS = 5;

/** The type given to content stored without one, such as content that a Python service stored. */
const DEFAULT_CONTENT_TYPE = "application/octet-stream";

/**
 * Server error codes that mean the server is shutting down, stepping down or unreachable, so the
 * request may succeed later: HostUnreachable, HostNotFound, NetworkTimeout, ShutdownInProgress,
 * PrimarySteppedDown, NotWritablePrimary, InterruptedAtShutdown, InterruptedDueToReplStateChange,
 * NotPrimaryNoSecondaryOk and NotPrimaryOrSecondary.
 */
const UNAVAILABLE_CODES: ReadonlySet<number> = new Set([
  6,
  7,
  89,
  91,
  189,
  10107,
  11600,
  11602,
  13435,
  13436,
]);

/** The attributes that the permission check reads when no object type computes permissions. */
const PERMISSION_FIELDS: Readonly<Record<string, 1>> = {
  type: 1,
  owner: 1,
  shares: 1,
  user_shares: 1,
  group_shares: 1,
  super_admin_default_permissions: 1,
};

const logger = getLogger(["hea", "db", "mongo"]);

/**
 * A {@linkcode Database} and {@linkcode ContentStore} on MongoDB, through the `mongodb` driver.
 * Each collection of the API is a MongoDB collection of the same name. Documents keep the object's
 * attributes under their own names, with `_id` (an ObjectId) in place of `id`. Content is stored in
 * the GridFS bucket named after the collection, under the object's id.
 *
 * Reads and writes run under the permission filter of {@linkcode permissionFilter}, and every
 * result is checked again in code with `context.hasAny`, because dynamic permissions are computed
 * in code. There are no transactions, so that the store also runs on FerretDB v1. A check and the
 * write that follows it are two commands, and the write repeats the filter, so it cannot touch an
 * object that has since left the caller's reach.
 *
 * When the server cannot be reached, every method fails within `serverSelectionTimeoutMs` with
 * {@linkcode DatabaseUnavailableError}, and the driver reconnects by itself when the server
 * returns. Create one instance per process and share it, because each has its own driver client
 * and connection pool.
 *
 * @example Connect to the server named by HEA_MONGODB_URL
 * ```ts
 * import { loadMongoConfig, MongoDatabase } from "@hea/server/db";
 *
 * const config = await loadMongoConfig();
 * if (config) {
 *   const database = new MongoDatabase(config);
 *   // ... serve requests with the database ...
 *   await database.close();
 * }
 * ```
 */
export class MongoDatabase implements Database, ContentStore {
  /** The name of the database that contains the collections. */
  readonly databaseName: string;

  readonly #updates: KeyedMutex = new KeyedMutex();
  readonly #client: MongoClient;
  readonly #db: Db;
  readonly #settings: Map<string, CollectionSettings> = new Map();
  readonly #retryAfterSeconds: number;
  readonly #redactedUrl: string;
  #features: Promise<MongoServerFeatures> | undefined;
  #unavailableSince: number | undefined;
  /** Whether the client must connect before the next operation: at first and after a failed connect. */
  #connectPending = true;
  #closed = false;

  /**
   * Creates the driver client, which connects on the first operation rather than here.
   *
   * @throws {TypeError} when the connection string is invalid.
   */
  constructor(options: MongoDatabaseOptions) {
    const timeout = options.serverSelectionTimeoutMs ?? DEFAULT_SERVER_SELECTION_TIMEOUT_MS;
    this.databaseName = options.databaseName;
    this.#retryAfterSeconds = options.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS;
    this.#redactedUrl = redactConnectionString(options.url);

    try {
      this.#client = new MongoClient(options.url, {
        serverSelectionTimeoutMS: timeout,
        connectTimeoutMS: timeout,
        appName: "hea-server",
        // Optional attributes that are undefined are left out of documents instead of stored as null.
        ignoreUndefined: true,
        ...options.clientOptions as MongoClientOptions,
      });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new TypeError(
        `Invalid MongoDB connection string ${this.#redactedUrl}: ${reason}`,
        { cause: error },
      );
    }
    this.#db = this.#client.db(options.databaseName);
    logger.debug("Created MongoDB client for {url}, database {database}", {
      url: this.#redactedUrl,
      database: this.databaseName,
    });
  }

  /**
   * Detects the server's features once per instance. A failed detection is tried again by the next
   * operation.
   *
   * @throws {DatabaseUnavailableError} when the server cannot be reached.
   */
  serverFeatures(): Promise<MongoServerFeatures> {
    return this.#run(() => this.#serverFeatures());
  }

  /**
   * Records the collection's settings and creates or drops its unique index on `name`. On servers
   * with partial indexes, the index covers string names only, so any number of objects may have no
   * name. On FerretDB v1 it covers every document, so only one object may lack a name.
   *
   * @throws {Error} when names must become unique but some objects already share one.
   * @throws {DatabaseUnavailableError} when the server cannot be reached.
   */
  ensureCollection(collection: string, settings: CollectionSettings): Promise<void> {
    this.#settings.set(collection, settings);

    return this.#run(async () => {
      const features = await this.#serverFeatures();
      if (settings.uniqueName) {
        await this.#createUniqueNameIndex(collection, features);
      } else {
        await this.#dropUniqueNameIndex(collection);
      }
    });
  }

  /** Returns the object if the caller may view it. */
  get(collection: string, id: string, context: PermissionContext): Promise<DesktopObject | null> {
    if (!isObjectId(id)) {
      return Promise.resolve(null);
    }

    return this.#run(() =>
      this.#findPermitted(collection, new ObjectId(id), context, GETTER_PERMISSIONS)
    );
  }

  /** Returns the object with the name if the caller may view it, the oldest one if several match. */
  getByName(
    collection: string,
    name: string,
    context: PermissionContext,
  ): Promise<DesktopObject | null> {
    return this.#run(async () => {
      const permission = await this.#permissionQuery(collection, context, GETTER_PERMISSIONS);
      const cursor = this.#db.collection(collection)
        .find(andFilters({ name }, permission.filter))
        .sort([["_id", 1]]);
      try {
        for await (const document of cursor) {
          const object = fromStoredDocument(document);
          if (this.#permits(collection, object, context, GETTER_PERMISSIONS)) {
            return object;
          }
        }
      } finally {
        await cursor.close();
      }

      return null;
    });
  }

  /**
   * Streams the visible objects from a server cursor, sorted with `_id` as the last key. The
   * server skips and limits when its permission filter is exact. Otherwise (types with dynamic
   * permissions, FerretDB v1, the `system|none` user) objects are counted in code after the
   * permission check, so that every page contains only visible objects.
   *
   * @throws {InvalidQueryError} when a sort attribute is not an attribute path.
   * @throws {DatabaseUnavailableError} when the server cannot be reached.
   */
  async *getAll(
    collection: string,
    context: PermissionContext,
    options: GetAllOptions = {},
  ): AsyncGenerator<DesktopObject> {
    this.#assertOpen();
    const sort = options.sort ?? [];
    assertSafeSort(sort);
    const begin = Math.max(0, options.begin ?? 0);
    const end = options.end ?? Number.POSITIVE_INFINITY;
    if (end <= begin) {
      return;
    }

    let cursor: FindCursor | undefined;
    try {
      await this.#connect();
      const permission = await this.#permissionQuery(collection, context, GETTER_PERMISSIONS);
      const filter = andFilters(permission.filter, toStoredFilter(options.filter ?? {}));
      cursor = this.#db.collection(collection).find(filter).sort(toStoredSort(sort));
      if (permission.exact) {
        cursor.skip(begin);
        if (Number.isFinite(end)) {
          cursor.limit(end - begin);
        }
      }

      let index = 0;
      for await (const document of cursor) {
        const object = fromStoredDocument(document);
        if (!this.#permits(collection, object, context, GETTER_PERMISSIONS)) {
          continue;
        }
        if (!permission.exact) {
          if (index++ < begin) {
            continue;
          }
          if (index > end) {
            break;
          }
        }
        yield object;
      }
      this.#markAvailable();
    } catch (error) {
      throw this.#translate(error);
    } finally {
      await cursor?.close().catch((error) => logIgnored("close a cursor", error));
    }
  }

  /**
   * Stores a new object with a new ObjectId and UTC timestamps as ISO 8601 strings, and returns
   * the id.
   *
   * @throws {DuplicateNameError} when the collection's unique index already contains the name.
   * @throws {DatabaseUnavailableError} when the server cannot be reached.
   */
  insert(collection: string, object: DesktopObject): Promise<string> {
    return this.#run(async () => {
      const objectId = new ObjectId();
      const id = objectId.toHexString();
      const now = new Date().toISOString();
      const stored: DesktopObject = {
        ...object,
        id,
        instance_id: `${object.type}^${id}`,
        created: now,
        modified: now,
      };

      try {
        await this.#db.collection(collection).insertOne(toStoredDocument(stored, objectId));
      } catch (error) {
        throw duplicateNameOr(error, collection, object.name);
      }

      return id;
    });
  }

  /**
   * Replaces the object if the caller may edit it, keeping `created` and stamping `modified`.
   *
   * @throws {DuplicateNameError} when the new name is taken in a unique-name collection.
   * @throws {DatabaseUnavailableError} when the server cannot be reached.
   */
  update(
    collection: string,
    object: DesktopObject,
    context: PermissionContext,
    options: UpdateOptions = {},
  ): Promise<boolean> {
    const id = object.id;
    if (typeof id !== "string" || !isObjectId(id)) {
      return Promise.resolve(false);
    }

    // NOTE: FerretDB v1 does not apply replaceOne's filter and write atomically, so two processes
    // updating one object at once can still lose a change there; real MongoDB applies the
    // compare-and-set below atomically. Within this process the mutex serializes the updates.
    return this.#updates.run(`${collection}/${id}`, () =>
      this.#run(async () => {
        const objectId = new ObjectId(id);
        const permission = await this.#permissionQuery(collection, context, PUTTER_PERMISSIONS);
        const query = andFilters({ _id: objectId }, permission.filter);
        const current = await this.#db.collection(collection).findOne(query);
        if (!current) {
          return false;
        }
        const currentObject = fromStoredDocument(current);
        if (!this.#permits(collection, currentObject, context, PUTTER_PERMISSIONS)) {
          return false;
        }

        if (
          options.expectedModified !== undefined &&
          (currentObject.modified ?? null) !== options.expectedModified
        ) {
          throw new UpdateConflictError(collection, id);
        }

        const stored: DesktopObject = {
          ...object,
          id,
          instance_id: `${object.type}^${id}`,
          created: currentObject.created ?? null,
          modified: nextModified(currentObject.modified),
        };
        // Replacing only while `modified` is still the value just read makes the write a
        // compare-and-set: a concurrent update in between makes it match nothing.
        const unchanged = andFilters(query, { modified: current.modified ?? null });
        try {
          const result = await this.#db.collection(collection)
            .replaceOne(unchanged, toStoredDocument(stored, objectId));
          if (result.matchedCount !== 1) {
            throw new UpdateConflictError(collection, id);
          }
          return true;
        } catch (error) {
          throw duplicateNameOr(error, collection, object.name);
        }
      }));
  }

  /**
   * Deletes the object and then its content if the caller may delete it. A failure to delete the
   * content after the object is logged, not raised, because the object is already gone.
   *
   * @throws {DatabaseUnavailableError} when the server cannot be reached.
   */
  delete(collection: string, id: string, context: PermissionContext): Promise<boolean> {
    if (!isObjectId(id)) {
      return Promise.resolve(false);
    }

    return this.#run(async () => {
      const objectId = new ObjectId(id);
      const permission = await this.#permissionQuery(collection, context, DELETER_PERMISSIONS);
      const query = andFilters({ _id: objectId }, permission.filter);
      const current = await this.#db.collection(collection).findOne(query);
      if (!current) {
        return false;
      }
      if (!this.#permits(collection, fromStoredDocument(current), context, DELETER_PERMISSIONS)) {
        return false;
      }

      const result = await this.#db.collection(collection).deleteOne(query);
      if (result.deletedCount === 0) {
        return false;
      }
      try {
        await this.#deleteContent(collection, objectId);
      } catch (error) {
        logger.error(
          "Deleted {collection}/{id} but not its content, which stays in GridFS: {error}",
          { collection, id, error },
        );
      }

      return true;
    });
  }

  /**
   * Returns the object's content from GridFS if the caller may view the object and it has content.
   * The content type comes from the file's `metadata.contentType`, else its deprecated top-level
   * `contentType`, else `application/octet-stream`.
   *
   * @throws {DatabaseUnavailableError} when the server cannot be reached; the stream fails with it
   * when the server goes away while it is read.
   */
  getContent(collection: string, id: string, context: PermissionContext): Promise<Content | null> {
    if (!isObjectId(id)) {
      return Promise.resolve(null);
    }

    return this.#run(async () => {
      const objectId = new ObjectId(id);
      if (!await this.#findPermitted(collection, objectId, context, GETTER_PERMISSIONS)) {
        return null;
      }
      const file = await this.#db.collection(`${collection}.files`).findOne({ _id: objectId });
      if (!file) {
        return null;
      }

      const download = this.#bucket(collection).openDownloadStream(objectId);
      const content: Content = {
        stream: this.#toWebStream(download),
        contentType: contentTypeOf(file),
        ...(typeof file.length === "number" ? { length: file.length } : {}),
      };
      return content;
    });
  }

  /**
   * Replaces the object's content in GridFS if the caller may edit the object. The stream is
   * uploaded under a temporary file id first, so a failed upload leaves the old content in place.
   * The new file then takes the object's id, as Python HEA stores it. Without transactions that
   * takes several commands, and a reader in between finds no content.
   *
   * @throws {DatabaseUnavailableError} when the server cannot be reached.
   */
  putContent(
    collection: string,
    id: string,
    stream: ReadableStream<Uint8Array>,
    contentType: string,
    context: PermissionContext,
  ): Promise<boolean> {
    if (!isObjectId(id)) {
      return Promise.resolve(false);
    }

    return this.#run(async () => {
      const objectId = new ObjectId(id);
      const object = await this.#findPermitted(collection, objectId, context, PUTTER_PERMISSIONS);
      if (!object) {
        return false;
      }

      const uploadId = new ObjectId();
      const filename = String(object.display_name ?? object.name ?? id);
      const upload = this.#bucket(collection).openUploadStreamWithId(uploadId, filename, {
        metadata: { contentType },
      });
      try {
        await pipeline(Readable.fromWeb(stream as NodeReadableStream<Uint8Array>), upload);
      } catch (error) {
        await this.#deleteContent(collection, uploadId).catch((cleanupError) =>
          logIgnored(`delete the partial upload for ${collection}/${id}`, cleanupError)
        );
        throw error;
      }

      // The object may have been deleted, or its shares changed, while the content was uploading.
      if (!await this.#findPermitted(collection, objectId, context, PUTTER_PERMISSIONS)) {
        await this.#deleteContent(collection, uploadId);
        return false;
      }

      await this.#moveContent(collection, uploadId, objectId);
      return true;
    });
  }

  /**
   * Runs an aggregation pipeline on the objects the caller may view and streams its raw output
   * documents, without id mapping. A `$match` stage that keeps only those objects is prepended.
   * Objects visible only through dynamic permissions are left out, because the pipeline's output
   * cannot be checked in code. Where the server-side filter is not exact (FerretDB v1, the
   * `system|none` user), the visible ids are collected first and matched with `$in`, which costs one
   * pass over the collection. Use stages that FerretDB v1 supports if CI must test the pipeline:
   * `$match`, `$sort`, `$skip`, `$limit`, `$project`, `$group`, `$unwind`, `$count`, `$set`,
   * `$addFields` and `$unset`.
   *
   * @throws {DatabaseUnavailableError} when the server cannot be reached.
   *
   * @example Count the caller's objects by owner
   * ```ts
   * import type { MongoDatabase } from "@hea/server/db";
   * import { PermissionContext } from "@hea/server/objects";
   *
   * async function countByOwner(database: MongoDatabase): Promise<unknown[]> {
   *   const pipeline = [{ $group: { _id: "$owner", count: { $sum: 1 } } }];
   *   return await Array.fromAsync(database.aggregate("items", pipeline, new PermissionContext("alice")));
   * }
   * ```
   */
  async *aggregate(
    collection: string,
    pipeline: readonly Record<string, unknown>[],
    context: PermissionContext,
  ): AsyncGenerator<Record<string, unknown>> {
    this.#assertOpen();

    let cursor: AggregationCursor | undefined;
    try {
      await this.#connect();
      const match = await this.#aggregateMatch(collection, context);
      const stages = match === null ? [...pipeline] : [{ $match: match }, ...pipeline];
      cursor = this.#db.collection(collection).aggregate(stages);
      for await (const document of cursor) {
        yield document;
      }
      this.#markAvailable();
    } catch (error) {
      throw this.#translate(error);
    } finally {
      await cursor?.close().catch((error) => logIgnored("close a cursor", error));
    }
  }

  /**
   * Drops the whole database, every collection and GridFS bucket in it. For tests and tooling.
   *
   * @throws {DatabaseUnavailableError} when the server cannot be reached.
   */
  dropDatabase(): Promise<void> {
    return this.#run(async () => {
      await this.#db.dropDatabase();
    });
  }

  /** Closes the driver client and its connections. Calling it twice is harmless. */
  async close(): Promise<void> {
    if (this.#closed) {
      return;
    }
    this.#closed = true;
    await this.#client.close();
    logger.debug("Closed MongoDB client for {url}", { url: this.#redactedUrl });
  }

  async #findPermitted(
    collection: string,
    objectId: ObjectId,
    context: PermissionContext,
    needed: readonly Permission[],
  ): Promise<DesktopObject | null> {
    // One object is looked up by `_id` alone and checked in code: the check is the same as the
    // query's, and servers serve a bare `_id` lookup from the index (FerretDB v1 takes about a
    // fifth of the time it takes with the permission filter attached).
    const document = await this.#db.collection(collection).findOne({ _id: objectId });
    if (!document) {
      return null;
    }
    const object = fromStoredDocument(document);

    return this.#permits(collection, object, context, needed) ? object : null;
  }

  #permits(
    collection: string,
    object: DesktopObject,
    context: PermissionContext,
    needed: readonly Permission[],
  ): boolean {
    return context.hasAny(object, needed, this.#typeOf(collection));
  }

  #typeOf(collection: string): ObjectType | undefined {
    return this.#settings.get(collection)?.type;
  }

  /**
   * Plans the permission part of a query. The dynamic-permission branch is dropped for types
   * without a dynamicPermission function, since it cannot grant anything there. The filter is
   * exact when no result can fail the check in code.
   */
  async #permissionQuery(
    collection: string,
    context: PermissionContext,
    needed: readonly Permission[],
  ): Promise<PermissionQuery> {
    if (context.bypassesChecks) {
      return { filter: {}, exact: true };
    }

    const features = await this.#serverFeatures();
    const dynamicType = this.#typeOf(collection)?.dynamicPermission !== undefined;
    let filter = permissionFilter(context, needed);
    if (!dynamicType) {
      filter = withoutDynamicBranch(filter);
    }
    if (!features.documentElemMatch) {
      filter = relaxElemMatch(filter);
    }

    // Group shares carry `user: "system|none"`, so the share branch admits them for that user even
    // though only group members hold them.
    // NOTE: a malformed share (basis USER but a group other than system|none) also passes the
    // filter and fails the check in code, which shortens a server-side page.
    const exact = features.documentElemMatch && !dynamicType && context.sub !== NONE_USER;

    return { filter, exact };
  }

  async #aggregateMatch(collection: string, context: PermissionContext): Promise<Filter | null> {
    if (context.bypassesChecks) {
      return null;
    }

    const features = await this.#serverFeatures();
    const filter = withoutDynamicBranch(permissionFilter(context, GETTER_PERMISSIONS));
    if (features.documentElemMatch && context.sub !== NONE_USER) {
      return filter;
    }

    const ids: ObjectId[] = [];
    const serverFilter = features.documentElemMatch ? filter : relaxElemMatch(filter);
    const cursor = this.#db.collection(collection).find(serverFilter, {
      projection: PERMISSION_FIELDS,
    });
    try {
      for await (const document of cursor) {
        if (context.hasAny(fromStoredDocument(document), GETTER_PERMISSIONS)) {
          ids.push(document._id);
        }
      }
    } finally {
      await cursor.close();
    }

    return { _id: { $in: ids } };
  }

  #serverFeatures(): Promise<MongoServerFeatures> {
    if (this.#features === undefined) {
      const detection = this.#detectFeatures();
      this.#features = detection;
      detection.catch(() => {
        if (this.#features === detection) {
          this.#features = undefined;
        }
      });
    }

    return this.#features;
  }

  async #detectFeatures(): Promise<MongoServerFeatures> {
    const info = await this.#db.admin().command({ buildInfo: 1 });
    const ferretDbVersion = typeof info.ferretdbVersion === "string" ? info.ferretdbVersion : null;
    const ferretDbV1 = ferretDbVersion?.startsWith("v1.") ?? false;
    const features: MongoServerFeatures = {
      product: ferretDbVersion === null ? "mongodb" : "ferretdb",
      version: ferretDbVersion ?? String(info.version),
      documentElemMatch: !ferretDbV1,
      partialIndexes: !ferretDbV1,
    };
    logger.info("Connected to {product} {version} for database {database}", {
      product: features.product,
      version: features.version,
      database: this.databaseName,
    });

    return features;
  }

  async #createUniqueNameIndex(collection: string, features: MongoServerFeatures): Promise<void> {
    const options = {
      name: MONGO_UNIQUE_NAME_INDEX,
      unique: true,
      ...(features.partialIndexes
        ? { partialFilterExpression: { name: { $type: "string" } } }
        : {}),
    };
    const target = this.#db.collection(collection);

    try {
      await target.createIndex({ name: 1 }, options);
    } catch (error) {
      if (isDuplicateKeyError(error)) {
        throw new Error(
          `Cannot make names unique in ${collection}: some of its objects share a name. Rename or delete the duplicates, then call ensureCollection again`,
          { cause: error },
        );
      }
      if (!isIndexConflictError(error)) {
        throw error;
      }
      // An index of the same name but other options exists, such as one created while the
      // database was served by FerretDB: replace it.
      logger.warn("Replacing index {index} of {collection}, which has other options", {
        index: MONGO_UNIQUE_NAME_INDEX,
        collection,
      });
      await target.dropIndex(MONGO_UNIQUE_NAME_INDEX);
      await target.createIndex({ name: 1 }, options);
    }
  }

  async #dropUniqueNameIndex(collection: string): Promise<void> {
    try {
      await this.#db.collection(collection).dropIndex(MONGO_UNIQUE_NAME_INDEX);
    } catch (error) {
      // IndexNotFound (27) and NamespaceNotFound (26) mean there is nothing to drop.
      if (error instanceof MongoServerError && (error.code === 27 || error.code === 26)) {
        return;
      }
      throw error;
    }
  }

  #bucket(collection: string): GridFSBucket {
    return new GridFSBucket(this.#db, { bucketName: collection });
  }

  /** Deletes an object's GridFS file and chunks. Unlike GridFSBucket.delete, it accepts a missing file. */
  async #deleteContent(collection: string, objectId: ObjectId): Promise<void> {
    await this.#db.collection(`${collection}.files`).deleteOne({ _id: objectId });
    await this.#db.collection(`${collection}.chunks`).deleteMany({ files_id: objectId });
  }

  /**
   * Gives the GridFS file `from` the id `to`, replacing the file that had it. A file's `_id`
   * cannot change, so the file document is copied and the chunks are pointed at the copy.
   */
  async #moveContent(collection: string, from: ObjectId, to: ObjectId): Promise<void> {
    const files = this.#db.collection(`${collection}.files`);
    const file = await files.findOne({ _id: from });
    if (!file) {
      throw new Error(
        `The uploaded content of ${collection}/${to.toHexString()} disappeared before it was stored; upload it again`,
      );
    }

    // NOTE: two concurrent uploads for one object are not serialized, so their moves can
    // interleave and leave chunks of both under the object's id.
    await this.#deleteContent(collection, to);
    await this.#db.collection(`${collection}.chunks`).updateMany(
      { files_id: from },
      { $set: { files_id: to } },
    );
    await files.insertOne({ ...file, _id: to });
    await files.deleteOne({ _id: from });
  }

  #toWebStream(source: GridFSBucketReadStream): ReadableStream<Uint8Array> {
    const chunks = source[Symbol.asyncIterator]() as AsyncIterator<Uint8Array>;

    return new ReadableStream<Uint8Array>({
      pull: async (controller) => {
        try {
          const { done, value } = await chunks.next();
          if (done) {
            controller.close();
          } else {
            // GridFS yields Node Buffers: hand out plain Uint8Array views of the same bytes.
            controller.enqueue(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
          }
        } catch (error) {
          controller.error(this.#translate(error));
        }
      },
      cancel: async () => {
        await chunks.return?.();
        source.destroy();
      },
    });
  }

  async #run<T>(work: () => Promise<T>): Promise<T> {
    this.#assertOpen();

    try {
      await this.#connect();
      const result = await work();
      this.#markAvailable();
      return result;
    } catch (error) {
      throw this.#translate(error);
    }
  }

  /**
   * Connects the client explicitly rather than through the driver's automatic connect. When that
   * first connect fails, the driver (7.9) keeps a closed topology and fails every later operation
   * with "Topology is closed", while an explicit `connect()` builds a new one. Once connected, the
   * driver's monitors reconnect by themselves after outages.
   */
  async #connect(): Promise<void> {
    if (!this.#connectPending) {
      return;
    }

    await this.#client.connect();
    this.#connectPending = false;
  }

  #assertOpen(): void {
    if (this.#closed) {
      throw new Error(
        `The MongoDatabase for database ${this.databaseName} is closed; create a new one`,
      );
    }
  }

  /** Turns driver errors that mean "server unreachable" into DatabaseUnavailableError. */
  #translate(error: unknown): unknown {
    if (error instanceof MongoTopologyClosedError && !this.#closed) {
      this.#connectPending = true;
    } else if (error instanceof DatabaseUnavailableError || !isUnavailableError(error)) {
      return error;
    }

    const reason = error instanceof Error ? error.message : String(error);
    if (this.#unavailableSince === undefined) {
      this.#unavailableSince = Date.now();
      logger.warn(
        "MongoDB at {url} is unavailable: {reason}. Operations fail with DatabaseUnavailableError until it returns",
        { url: this.#redactedUrl, reason },
      );
    } else {
      logger.debug("MongoDB at {url} is still unavailable: {reason}", {
        url: this.#redactedUrl,
        reason,
      });
    }

    return new DatabaseUnavailableError(
      `MongoDB database ${this.databaseName} is unavailable: ${reason}`,
      this.#retryAfterSeconds,
      { cause: error },
    );
  }

  #markAvailable(): void {
    if (this.#unavailableSince !== undefined) {
      const seconds = Math.round((Date.now() - this.#unavailableSince) / 1000);
      this.#unavailableSince = undefined;
      logger.info("MongoDB at {url} is reachable again after {seconds} s", {
        url: this.#redactedUrl,
        seconds,
      });
    }
  }
}

/** Logs a failed clean-up step whose error is dropped, because another error or result wins. */
function logIgnored(action: string, error: unknown): void {
  logger.warn("Failed to {action}: {error}", { action, error });
}

/** Removes the `{ dynamic_permission_supported: true }` branch from a permission filter's `$or`. */
function withoutDynamicBranch(filter: Filter): Filter {
  if (!Array.isArray(filter.$or)) {
    return filter;
  }
  const branches = filter.$or.filter((branch) =>
    !(isPlainObject(branch) && Object.keys(branch).length === 1 &&
      branch.dynamic_permission_supported === true)
  );

  return { ...filter, $or: branches };
}

function contentTypeOf(file: Document): string {
  const metadata = file.metadata;
  if (isPlainObject(metadata) && typeof metadata.contentType === "string") {
    return metadata.contentType;
  }
  if (typeof file.contentType === "string") {
    return file.contentType;
  }

  return DEFAULT_CONTENT_TYPE;
}

function isUnavailableError(error: unknown): boolean {
  // MongoNetworkError covers timeouts and cleared pools, whose classes extend it.
  if (error instanceof MongoServerSelectionError || error instanceof MongoNetworkError) {
    return true;
  }
  if (error instanceof MongoServerError && typeof error.code === "number") {
    return UNAVAILABLE_CODES.has(error.code);
  }

  // The driver does not export the class of a wait for a free pooled connection that timed out.
  return error instanceof Error && error.name === "MongoWaitQueueTimeoutError";
}

function isDuplicateKeyError(error: unknown): boolean {
  if (!(error instanceof MongoServerError)) {
    return false;
  }

  // FerretDB v1.24 with its SQLite backend reports a unique index violation on update and on index
  // creation as InternalError (1) carrying SQLite's message, not as DuplicateKey (11000).
  return error.code === 11000 ||
    (error.code === 1 && error.message.includes("UNIQUE constraint failed"));
}

/** IndexOptionsConflict (85) and IndexKeySpecsConflict (86). */
function isIndexConflictError(error: unknown): boolean {
  return error instanceof MongoServerError && (error.code === 85 || error.code === 86);
}

/**
 * Turns a write error into the error to report: a taken name into {@linkcode DuplicateNameError},
 * and a value the server refuses to store (BadValue, such as FerretDB v1's nested lists) into an
 * {@linkcode InvalidObjectError}, because the client sent it; other errors stay as they are. The
 * server's message is not repeated, since it quotes the value.
 */
function duplicateNameOr(error: unknown, collection: string, name: unknown): unknown {
  if (isDuplicateKeyError(error)) {
    return new DuplicateNameError(collection, String(name));
  }
  if (error instanceof MongoServerError && error.code === BAD_VALUE_CODE) {
    return new InvalidObjectError(
      "(body)",
      "contains a value this database cannot store, such as a list inside a list; change it",
    );
  }

  return error;
}

/** The server error code for a document or value that the server refuses. */
const BAD_VALUE_CODE = 2;
