/**
 * The content of desktop objects: the bytes of a file or document stored beside the object's JSON,
 * such as a data file's body.
 *
 * @module
 */

import type { PermissionContext } from "../objects/mod.ts";

/** Stored content, as {@linkcode ContentStore.getContent} returns it. */
export interface Content {
  /** The bytes, read from the store as the consumer pulls them. */
  readonly stream: ReadableStream<Uint8Array>;
  /** The MIME type recorded by {@linkcode ContentStore.putContent}. */
  readonly contentType: string;
  /** The size in bytes, when the store has it before streaming. */
  readonly length?: number;
}

/**
 * Stores one content stream per desktop object. Content follows its object's permissions: reading
 * it needs a getter permission on the object and replacing it an editor one. Deleting an object
 * through the store's `delete` deletes its content too. Ids that the store cannot have issued are
 * "not found", never an error.
 *
 * @example Store and read a note's text
 * ```ts
 * import { SqliteDatabase } from "@hea/server/db";
 * import { newObject, PermissionContext, PropertyType, type DesktopObject } from "@hea/server/objects";
 * import assert from "node:assert/strict";
 *
 * const database = new SqliteDatabase();
 * const owner = new PermissionContext("alice");
 * const id = await database.insert("notes", { ...newObject(PropertyType), owner: "alice" } as DesktopObject);
 * const body = new Blob(["hello"]).stream();
 * assert.equal(await database.putContent("notes", id, body, "text/plain", owner), true);
 * const content = await database.getContent("notes", id, owner);
 * assert.equal(content?.contentType, "text/plain");
 * assert.equal(await new Response(content?.stream).text(), "hello");
 * await database.close();
 * ```
 */
export interface ContentStore {
  /**
   * Returns the content of an object if the caller may view the object, else `null`. Also `null`
   * when the object has no content.
   */
  getContent(collection: string, id: string, context: PermissionContext): Promise<Content | null>;

  /**
   * Replaces an object's content with the bytes of `stream`, read to its end. Returns `false`,
   * without reading the stream, when there is no such object or the caller may not edit it.
   */
  putContent(
    collection: string,
    id: string,
    stream: ReadableStream<Uint8Array>,
    contentType: string,
    context: PermissionContext,
  ): Promise<boolean>;
}
