/**
 * The reconnection delays of the publisher and the subscriber.
 *
 * @module
 */

/** How long to wait between connection attempts. */
export interface BackoffOptions {
  /** The delay before the first retry, in milliseconds. Defaults to 250. */
  readonly initialDelayMs?: number;
  /** The maximum delay, in milliseconds. Defaults to 15,000. */
  readonly maxDelayMs?: number;
  /** The factor that each failed attempt multiplies the delay by. Defaults to 2. */
  readonly factor?: number;
  /** The fraction of the delay that is randomized, from 0 to 1, so that many clients do not retry together. Defaults to 0.2. */
  readonly jitter?: number;
}
