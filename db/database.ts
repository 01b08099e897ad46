/**
 * The Database interface that every store of desktop objects implements, and the options of its
 * queries.
 *
 * @module
 */

import type { DesktopObject, ObjectType, PermissionContext } from "../objects/mod.ts";

/** A query on attribute values in MongoDB's query language, such as `{ name: "x" }`. */
export type Filter = Record<string, unknown>;

/** One sort key: an attribute and its direction, `1` ascending and `-1` descending. */
export interface SortKey {
  /** The attribute name; dotted paths reach nested attributes. */
  readonly attribute: string;
  /** `1` for ascending, `-1` for descending. */
  readonly order: 1 | -1;
}

/** Options of {@linkcode Database.getAll}. */
export interface GetAllOptions {
  /** Only objects matching this query, besides the permission filter. */
  readonly filter?: Filter;
  /** Sort keys, most significant first. Stores add the id as the last key, so pages are stable. */
  readonly sort?: readonly SortKey[];
  /** Index of the first object to return, from 0 (inclusive). */
  readonly begin?: number;
  /** Index after the last object to return (exclusive). */
  readonly end?: number;
}

/** Options of {@linkcode Database.update}. */
export interface UpdateOptions {
  /**
   * The `modified` value of the object as the caller read it. When given, the update is applied
   * only if the stored object still has it, else it fails with `UpdateConflictError`, so that two
   * concurrent read-modify-write cycles cannot silently lose one of their changes.
   */
  readonly expectedModified?: string | null;
}

/** A collection's settings, as {@linkcode Database.ensureCollection} records them. */
export interface CollectionSettings {
  /** The type of the collection's objects; stores complete stored documents with it. */
  readonly type: ObjectType;
  /** Whether two objects of the collection may not share a name. */
  readonly uniqueName: boolean;
}

/**
 * Stores desktop objects in named collections. Every read and write runs under a
 * {@linkcode PermissionContext}: reads return only what the caller may view, updates need an editor
 * permission and deletes a deleter one. An {@linkcode AdminPermissionContext} bypasses the checks
 * for system code. Ids that the store cannot have issued are "not found", never an error.
 */
export interface Database {
  /** Prepares a collection: its indexes and its unique-name rule. Calling it again is harmless. */
  ensureCollection(collection: string, settings: CollectionSettings): Promise<void>;

  /** Returns the object with an id if the caller may view it, else `null`. */
  get(collection: string, id: string, context: PermissionContext): Promise<DesktopObject | null>;

  /** Returns the object with a name if the caller may view it, else `null`. */
  getByName(
    collection: string,
    name: string,
    context: PermissionContext,
  ): Promise<DesktopObject | null>;

  /**
   * Streams the objects the caller may view, filtered, sorted and paginated, without holding the
   * whole collection in memory.
   */
  getAll(
    collection: string,
    context: PermissionContext,
    options?: GetAllOptions,
  ): AsyncIterable<DesktopObject>;

  /**
   * Stores a new object and returns its id. The store sets `id`, `created` and `modified`
   * (UTC). Creation rights are checked by the caller of this method, not by the store.
   *
   * @throws {DuplicateNameError} when the collection requires unique names and the name is taken.
   */
  insert(collection: string, object: DesktopObject): Promise<string>;

  /**
   * Replaces an object, identified by its `id`, if the caller may edit it, and sets `modified`.
   * Returns `false` when there is no such object or the caller may not edit it.
   *
   * @throws {DuplicateNameError} when the new name is taken in a unique-name collection.
   * @throws {UpdateConflictError} when the object changed since the caller read it, judged by
   * `options.expectedModified`, or while the store was writing it.
   */
  update(
    collection: string,
    object: DesktopObject,
    context: PermissionContext,
    options?: UpdateOptions,
  ): Promise<boolean>;

  /** Deletes an object if the caller may delete it. Returns `false` when nothing was deleted. */
  delete(collection: string, id: string, context: PermissionContext): Promise<boolean>;

  /** Releases the store's resources. */
  close(): Promise<void>;
}
