/**
 * The durable outbox: messages waiting to be confirmed by the broker, kept in SQLite so that a
 * broker outage or a crash of the service loses none of them.
 *
 * @module
 */

import { DatabaseSync, type StatementSync } from "node:sqlite";
import { getLogger } from "@logtape/logtape";
import { OutboxInUseError } from "./outbox_in_use_error.ts";

/** A message as the outbox stores it. */
export interface OutboxMessage {
  /** The position in the outbox: messages are sent in increasing order, and a number is never reused. */
  readonly seq: number;
  /** The AMQP message id, a UUID unless the publisher was given another. */
  readonly id: string;
  /** The exchange the message goes to. */
  readonly exchange: string;
  /** The routing key: the type name of the object in the body. */
  readonly routingKey: string;
  /** The body: the object as JSON. */
  readonly body: string;
  /** When the message was stored, in UTC ISO 8601. */
  readonly created: string;
}

/** A message to store: everything but the position, which the outbox assigns. */
export type NewOutboxMessage = Omit<OutboxMessage, "seq">;

/** Options of an {@linkcode Outbox}. */
export interface OutboxOptions {
  /**
   * The SQLite file, created when missing. Without one the outbox is in memory, and a restart of
   * the service loses the messages still in it.
   */
  readonly path?: string | null;
  /**
   * SQLite's `synchronous` setting. `full` (the default) keeps stored messages through a power
   * loss; `normal` keeps them through a crash of the process only, and writes faster.
   */
  readonly synchronous?: "full" | "normal";
}

/** Version of the table layout, kept in SQLite's `user_version`. */
const SCHEMA_VERSION = 1;

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS hea_outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    message_id TEXT NOT NULL,
    exchange TEXT NOT NULL,
    routing_key TEXT NOT NULL,
    body TEXT NOT NULL,
    created TEXT NOT NULL
  );
`;

/** SQLite's primary result code for a database that another connection has locked. */
const SQLITE_BUSY = 5;

const logger = getLogger(["hea", "messaging", "outbox"]);

/**
 * Messages that are stored but not yet confirmed by the broker, in order. A publisher adds each
 * message before sending it and removes it only after the broker confirms it.
 *
 * A file outbox holds an exclusive SQLite lock while it is open, so a second `Outbox` on the same
 * file, in this process or another, fails with {@linkcode OutboxInUseError}. The operating system
 * releases the lock when its process ends, so a file left by a crashed process opens normally.
 * NOTE: SQLite locks are unreliable on network file systems such as NFS: keep the file on a
 * local disk.
 *
 * @example An in-memory outbox
 * ```ts
 * import { Outbox } from "@hea/server/messaging";
 * import assert from "node:assert/strict";
 *
 * const outbox = new Outbox();
 * const stored = outbox.add({
 *   id: crypto.randomUUID(),
 *   exchange: "hea_desktop_objects",
 *   routingKey: "heaobject.registry.Property",
 *   body: '{"type":"heaobject.registry.Property"}',
 *   created: new Date().toISOString(),
 * });
 * assert.equal(outbox.count(), 1);
 * assert.deepEqual(outbox.peek(0, 10), [stored]);
 * outbox.remove([stored.seq]);
 * assert.equal(outbox.count(), 0);
 * outbox.close();
 * ```
 */
export class Outbox {
  /** The SQLite file, or `null` for an in-memory outbox. */
  readonly path: string | null;
  readonly #connection: DatabaseSync;
  readonly #insert: StatementSync;
  readonly #delete: StatementSync;
  readonly #select: StatementSync;
  readonly #count: StatementSync;
  #closed = false;

  /**
   * Opens the outbox at `options.path`, creating the file if needed, or an in-memory one.
   *
   * @throws {OutboxInUseError} when the file is already open elsewhere.
   * @throws {Error} when the file cannot be opened or was written by a newer version.
   */
  constructor(options: OutboxOptions = {}) {
    this.path = options.path ?? null;
    this.#connection = this.#open(options);

    this.#insert = this.#connection.prepare(
      `INSERT INTO hea_outbox (message_id, exchange, routing_key, body, created)
       VALUES (?, ?, ?, ?, ?)`,
    );
    this.#delete = this.#connection.prepare(`DELETE FROM hea_outbox WHERE seq = ?`);
    this.#select = this.#connection.prepare(
      `SELECT seq, message_id, exchange, routing_key, body, created FROM hea_outbox
       WHERE seq > ? ORDER BY seq LIMIT ?`,
    );
    this.#count = this.#connection.prepare(`SELECT count(*) AS n FROM hea_outbox`);

    logger.info("Opened outbox {path} with {pending} pending messages", {
      path: this.path ?? ":memory:",
      pending: this.count(),
    });
  }

  /** Whether the messages survive a restart: true for a file outbox. */
  get persistent(): boolean {
    return this.path !== null;
  }

  /** Whether {@linkcode Outbox.close} was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /** Stores one message and returns it with its position. */
  add(message: NewOutboxMessage): OutboxMessage {
    const [stored] = this.addAll([message]);

    return stored as OutboxMessage;
  }

  /** Stores messages in one transaction, in order, and returns them with their positions. */
  addAll(messages: readonly NewOutboxMessage[]): OutboxMessage[] {
    this.#checkOpen();

    return this.#transaction(() =>
      messages.map((message) => {
        const result = this.#insert.run(
          message.id,
          message.exchange,
          message.routingKey,
          message.body,
          message.created,
        );
        return { ...message, seq: Number(result.lastInsertRowid) };
      })
    );
  }

  /** Returns up to `limit` messages after position `afterSeq`, oldest first, without removing them. */
  peek(afterSeq: number, limit: number): OutboxMessage[] {
    this.#checkOpen();

    const rows = this.#select.all(afterSeq, limit) as Array<Record<string, unknown>>;

    return rows.map((row) => ({
      seq: Number(row.seq),
      id: String(row.message_id),
      exchange: String(row.exchange),
      routingKey: String(row.routing_key),
      body: String(row.body),
      created: String(row.created),
    }));
  }

  /** Removes the messages at the given positions in one transaction; returns how many there were. */
  remove(seqs: Iterable<number>): number {
    this.#checkOpen();

    return this.#transaction(() => {
      let removed = 0;
      for (const seq of seqs) {
        removed += Number(this.#delete.run(seq).changes);
      }
      return removed;
    });
  }

  /** Returns the number of stored messages. */
  count(): number {
    this.#checkOpen();

    const row = this.#count.get() as { n: number | bigint };

    return Number(row.n);
  }

  /** Closes the outbox and releases its file. Calling it again does nothing. */
  close(): void {
    if (this.#closed) {
      return;
    }

    const pending = this.count();
    this.#closed = true;
    this.#connection.close();

    if (pending > 0 && !this.persistent) {
      logger.error("Closed the in-memory outbox with {pending} unsent messages, which are lost", {
        pending,
      });
    } else {
      logger.info("Closed outbox {path} with {pending} pending messages", {
        path: this.path ?? ":memory:",
        pending,
      });
    }
  }

  #open(options: OutboxOptions): DatabaseSync {
    const path = this.path ?? ":memory:";
    let connection: DatabaseSync;
    try {
      connection = new DatabaseSync(path);
    } catch (error) {
      throw new Error(
        `Failed to open outbox ${path}: ${
          messageOf(error)
        }; check that its directory exists and is writable`,
        { cause: error },
      );
    }

    try {
      // Exclusive locking mode keeps the lock from the first transaction until close, which is
      // what makes a second owner fail. It must be set before WAL mode so that SQLite keeps the
      // WAL index in process memory instead of a shared-memory file.
      connection.exec("PRAGMA busy_timeout = 0");
      connection.exec("PRAGMA locking_mode = EXCLUSIVE");
      connection.exec("PRAGMA journal_mode = WAL");
      connection.exec(
        `PRAGMA synchronous = ${options.synchronous === "normal" ? "NORMAL" : "FULL"}`,
      );
      connection.exec("BEGIN EXCLUSIVE");
      this.#migrate(connection, path);
      connection.exec("COMMIT");
    } catch (error) {
      connection.close();
      if (isBusy(error)) {
        throw new OutboxInUseError(path, { cause: error });
      }
      throw error;
    }

    return connection;
  }

  #migrate(connection: DatabaseSync, path: string): void {
    const row = connection.prepare("PRAGMA user_version").get() as { user_version: number };
    if (row.user_version > SCHEMA_VERSION) {
      throw new Error(
        `Outbox ${path} has layout version ${row.user_version}, newer than this version of @hea/server ` +
          `supports (${SCHEMA_VERSION}); upgrade @hea/server or use another outbox path`,
      );
    }

    connection.exec(SCHEMA);
    connection.exec(`PRAGMA user_version = ${SCHEMA_VERSION}`);
  }

  #transaction<T>(work: () => T): T {
    this.#connection.exec("BEGIN IMMEDIATE");
    try {
      const result = work();
      this.#connection.exec("COMMIT");
      return result;
    } catch (error) {
      if (this.#connection.isTransaction) {
        this.#connection.exec("ROLLBACK");
      }
      throw error;
    }
  }

  #checkOpen(): void {
    if (this.#closed) {
      throw new Error(
        `Outbox ${this.path ?? ":memory:"} is closed; open a new Outbox to use it again`,
      );
    }
  }
}

/**
 * Returns whether an error is SQLite's BUSY. Errors from `prepare` carry the result code, whose
 * extended forms keep 5 in the low byte. Errors from `exec` in Deno 2.9 carry only the message.
 */
function isBusy(error: unknown): boolean {
  const code = typeof error === "object" && error !== null && "errcode" in error
    ? (error as { errcode: unknown }).errcode
    : undefined;
  if (typeof code === "number") {
    return (code & 0xff) === SQLITE_BUSY;
  }

  return error instanceof Error && error.message.includes("database is locked");
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
