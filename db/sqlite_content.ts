/**
 * Content storage for the embedded SQLite store: each object's bytes are split into chunks, one row
 * per chunk, so that neither writing nor reading keeps the whole content in memory.
 *
 * @module
 */

import type { DatabaseSync } from "node:sqlite";

/** The size of one stored chunk in bytes: the same as GridFS's default, 255 KiB. */
export const SQLITE_CONTENT_CHUNK_SIZE = 255 * 1024;

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS hea_content (
    collection TEXT NOT NULL,
    id TEXT NOT NULL,
    blob_id TEXT NOT NULL,
    content_type TEXT NOT NULL,
    length INTEGER NOT NULL,
    PRIMARY KEY (collection, id)
  );
  CREATE TABLE IF NOT EXISTS hea_content_chunks (
    blob_id TEXT NOT NULL,
    n INTEGER NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (blob_id, n)
  );
`;

/** A written blob that no object refers to yet, as {@linkcode SqliteContentTable.writeBlob} returns it. */
export interface SqliteBlob {
  /** The key of the blob's chunks. */
  readonly blobId: string;
  /** The number of bytes written. */
  readonly length: number;
}

/** The metadata and stream of one object's content. */
export interface SqliteContent {
  /** The bytes, read chunk by chunk as the consumer pulls them. */
  readonly stream: ReadableStream<Uint8Array>;
  /** The MIME type given when the content was stored. */
  readonly contentType: string;
  /** The size in bytes. */
  readonly length: number;
}

/**
 * The content tables of a SQLite database. Content is written in two steps: the chunks of a new
 * blob first, outside any transaction because the stream is read asynchronously, then
 * {@linkcode SqliteContentTable.attach} swaps the blob in inside the caller's transaction, so a
 * reader sees either the old content or the new one.
 *
 * @example Write, attach and read a blob
 * ```ts
 * import { SqliteContentTable } from "./sqlite_content.ts";
 * import { DatabaseSync } from "node:sqlite";
 * import assert from "node:assert/strict";
 *
 * const table = new SqliteContentTable(new DatabaseSync(":memory:"));
 * const blob = await table.writeBlob(new Blob(["hello"]).stream());
 * table.attach("notes", "6650f0c2a3b4c5d6e7f80912", blob, "text/plain");
 * const content = table.read("notes", "6650f0c2a3b4c5d6e7f80912");
 * assert.equal(await new Response(content?.stream).text(), "hello");
 * ```
 */
export class SqliteContentTable {
  readonly #connection: DatabaseSync;

  /** Creates the content tables on `connection` when they are missing. */
  constructor(connection: DatabaseSync) {
    this.#connection = connection;
    this.#connection.exec(SCHEMA);
  }

  /**
   * Reads `stream` to its end into the chunks of a new blob and returns it. Removes the chunks
   * written so far when the stream fails.
   */
  async writeBlob(stream: ReadableStream<Uint8Array>): Promise<SqliteBlob> {
    const blobId = crypto.randomUUID();
    const insert = this.#connection.prepare(
      "INSERT INTO hea_content_chunks (blob_id, n, data) VALUES (?, ?, ?)",
    );
    let pending = new Uint8Array(SQLITE_CONTENT_CHUNK_SIZE);
    let filled = 0;
    let chunkCount = 0;
    let length = 0;

    try {
      for await (const piece of stream) {
        length += piece.byteLength;
        let offset = 0;
        while (offset < piece.byteLength) {
          const copied = Math.min(piece.byteLength - offset, SQLITE_CONTENT_CHUNK_SIZE - filled);
          pending.set(piece.subarray(offset, offset + copied), filled);
          filled += copied;
          offset += copied;
          if (filled === SQLITE_CONTENT_CHUNK_SIZE) {
            insert.run(blobId, chunkCount++, pending);
            pending = new Uint8Array(SQLITE_CONTENT_CHUNK_SIZE);
            filled = 0;
          }
        }
      }
      if (filled > 0) {
        insert.run(blobId, chunkCount, pending.subarray(0, filled));
      }
    } catch (error) {
      this.discardBlob(blobId);
      throw error;
    }

    return { blobId, length };
  }

  /** Deletes the chunks of a blob that no object refers to. */
  discardBlob(blobId: string): void {
    this.#connection.prepare("DELETE FROM hea_content_chunks WHERE blob_id = ?").run(blobId);
  }

  /**
   * Makes `blob` the content of an object and deletes the chunks of its previous content. Run it
   * inside a transaction, so that the swap is atomic.
   */
  attach(collection: string, id: string, blob: SqliteBlob, contentType: string): void {
    const previous = this.#blobIdOf(collection, id);
    this.#connection.prepare(
      `INSERT INTO hea_content (collection, id, blob_id, content_type, length) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (collection, id) DO UPDATE SET blob_id = excluded.blob_id,
         content_type = excluded.content_type, length = excluded.length`,
    ).run(collection, id, blob.blobId, contentType, blob.length);
    if (previous !== null) {
      this.discardBlob(previous);
    }
  }

  /** Deletes an object's content, if it has any. Run it in the transaction that deletes the object. */
  remove(collection: string, id: string): void {
    const previous = this.#blobIdOf(collection, id);
    if (previous === null) {
      return;
    }
    this.#connection.prepare("DELETE FROM hea_content WHERE collection = ? AND id = ?")
      .run(collection, id);
    this.discardBlob(previous);
  }

  /**
   * Returns an object's content, or `null` when it has none. The stream reads one chunk per read
   * request, without reading ahead, and fails if the content is replaced or deleted before it has
   * been read to the end.
   */
  read(collection: string, id: string): SqliteContent | null {
    const row = this.#connection.prepare(
      "SELECT blob_id, content_type, length FROM hea_content WHERE collection = ? AND id = ?",
    ).get(collection, id);
    if (!row) {
      return null;
    }

    const blobId = String(row.blob_id);
    const length = Number(row.length);
    const selectChunk = this.#connection.prepare(
      "SELECT data FROM hea_content_chunks WHERE blob_id = ? AND n = ?",
    );
    let n = 0;
    let delivered = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (delivered >= length) {
          controller.close();
          return;
        }
        const chunk = selectChunk.get(blobId, n++);
        if (!chunk || !(chunk.data instanceof Uint8Array)) {
          controller.error(
            new Error(`Content of ${collection}/${id} changed while it was read; read it again`),
          );
          return;
        }
        delivered += chunk.data.byteLength;
        controller.enqueue(chunk.data);
      },
    }, { highWaterMark: 0 });

    return { stream, contentType: String(row.content_type), length };
  }

  #blobIdOf(collection: string, id: string): string | null {
    const row = this.#connection.prepare(
      "SELECT blob_id FROM hea_content WHERE collection = ? AND id = ?",
    ).get(collection, id);

    return row ? String(row.blob_id) : null;
  }
}
