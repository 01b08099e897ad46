import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { SQLITE_CONTENT_CHUNK_SIZE, SqliteContentTable } from "./sqlite_content.ts";

const ID = "6650f0c2a3b4c5d6e7f80912";

function bytes(size: number): Uint8Array {
  return Uint8Array.from({ length: size }, (_, index) => (index * 7) & 0xff);
}

/** Streams `data` in pieces of `pieceSize` bytes. */
function streamOf(data: Uint8Array, pieceSize: number): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= data.length) {
        controller.close();
        return;
      }
      controller.enqueue(data.slice(offset, offset + pieceSize));
      offset += pieceSize;
    },
  });
}

function chunkCount(connection: DatabaseSync): number {
  return Number(connection.prepare("SELECT count(*) AS n FROM hea_content_chunks").get()?.n);
}

Deno.test("SqliteContentTable splits content at chunk boundaries", async () => {
  const connection = new DatabaseSync(":memory:");
  const table = new SqliteContentTable(connection);
  const sizes = [
    0,
    1,
    SQLITE_CONTENT_CHUNK_SIZE - 1,
    SQLITE_CONTENT_CHUNK_SIZE,
    SQLITE_CONTENT_CHUNK_SIZE + 1,
    2 * SQLITE_CONTENT_CHUNK_SIZE,
  ];

  try {
    for (const size of sizes) {
      const data = bytes(size);
      const blob = await table.writeBlob(streamOf(data, 10_007));
      table.attach("files", ID, blob, "application/octet-stream");

      const content = table.read("files", ID);
      const read = new Uint8Array(await new Response(content?.stream).arrayBuffer());

      assert.equal(blob.length, size);
      assert.equal(content?.length, size);
      assert.deepEqual(read, data, `content of ${size} bytes`);
      assert.equal(chunkCount(connection), Math.ceil(size / SQLITE_CONTENT_CHUNK_SIZE));
    }
  } finally {
    connection.close();
  }
});

Deno.test("SqliteContentTable replaces and removes content", async () => {
  const connection = new DatabaseSync(":memory:");
  const table = new SqliteContentTable(connection);

  try {
    table.attach("files", ID, await table.writeBlob(new Blob(["one"]).stream()), "text/plain");
    table.attach("files", ID, await table.writeBlob(new Blob(["two"]).stream()), "text/markdown");
    const replaced = table.read("files", ID);

    assert.equal(replaced?.contentType, "text/markdown");
    assert.equal(await new Response(replaced?.stream).text(), "two");
    assert.equal(chunkCount(connection), 1, "the old chunks stayed");

    table.remove("files", ID);
    table.remove("files", ID);
    assert.equal(table.read("files", ID), null);
    assert.equal(chunkCount(connection), 0);
  } finally {
    connection.close();
  }
});

Deno.test("SqliteContentTable discards a failed upload", async () => {
  const connection = new DatabaseSync(":memory:");
  const table = new SqliteContentTable(connection);
  let sent = 0;
  const failing = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent++ < 3) {
        controller.enqueue(bytes(SQLITE_CONTENT_CHUNK_SIZE));
      } else {
        controller.error(new Error("client went away"));
      }
    },
  });

  try {
    await assert.rejects(table.writeBlob(failing), /client went away/);
    assert.equal(chunkCount(connection), 0);
  } finally {
    connection.close();
  }
});

Deno.test("SqliteContentTable stream fails when content changes mid-read", async () => {
  const connection = new DatabaseSync(":memory:");
  const table = new SqliteContentTable(connection);

  try {
    const large = bytes(2 * SQLITE_CONTENT_CHUNK_SIZE);
    table.attach("files", ID, await table.writeBlob(streamOf(large, 65_536)), "x/y");
    const content = table.read("files", ID);
    const reader = content?.stream.getReader();
    assert.ok(reader);
    await reader.read();

    table.attach("files", ID, await table.writeBlob(new Blob(["new"]).stream()), "x/y");

    await assert.rejects(reader.read(), /changed while it was read/);
  } finally {
    connection.close();
  }
});
