/**
 * Error logging that stays readable during an outage, when every request fails the same way.
 *
 * @module
 */

import type { Logger } from "@logtape/logtape";

/**
 * Logs an error at most once per interval and counts the errors it skips in between. The message
 * template receives the count as `{suppressed}`.
 */
export class RateLimitedErrorLog {
  readonly #logger: Logger;
  readonly #intervalMs: number;
  #lastLogged = Number.NEGATIVE_INFINITY;
  #suppressed = 0;

  /** Creates a log that writes to `logger` at most once per `intervalMs` milliseconds. */
  constructor(logger: Logger, intervalMs: number) {
    this.#logger = logger;
    this.#intervalMs = intervalMs;
  }

  /** Logs the error unless one was logged less than an interval ago, in which case it counts it. */
  error(message: string, properties: Record<string, unknown>): void {
    const now = Date.now();
    if (now - this.#lastLogged < this.#intervalMs) {
      this.#suppressed++;
      return;
    }

    this.#logger.error(message, { ...properties, suppressed: this.#suppressed });
    this.#lastLogged = now;
    this.#suppressed = 0;
  }
}
