/**
 * The error raised when an outbox file is already open elsewhere.
 *
 * @module
 */

/**
 * Raised when an outbox file is already open in another process or in another
 * {@linkcode Outbox} of this process. Two owners of one outbox would send each other's messages
 * and remove each other's rows, so each service needs its own file.
 *
 * @example Catch it
 * ```ts
 * import { OutboxInUseError } from "@hea/server/messaging";
 * import assert from "node:assert/strict";
 *
 * const error = new OutboxInUseError("/var/lib/svc/outbox.db");
 * assert.equal(error.path, "/var/lib/svc/outbox.db");
 * assert.match(error.message, /already open/);
 * ```
 */
export class OutboxInUseError extends Error {
  /** The outbox file. */
  readonly path: string;

  /** Creates the error for the outbox file at `path`. */
  constructor(path: string, options?: ErrorOptions) {
    super(
      `Outbox ${path} is already open in another process or another Outbox of this process; ` +
        "give each service instance its own outbox path (PublishQueuePersistencePath or HEA_AMQP_OUTBOX_PATH)",
      options,
    );
    this.name = "OutboxInUseError";
    this.path = path;
  }
}
