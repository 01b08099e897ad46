/**
 * Exponential backoff with jitter for reconnection, and a sleep that closing can cut short.
 *
 * @module
 */

/** How long to wait between connection attempts. */
export interface BackoffOptions {
  /** The delay before the first retry, in milliseconds. Defaults to 250. */
  readonly initialDelayMs?: number;
  /** The longest delay, in milliseconds. Defaults to 15,000. */
  readonly maxDelayMs?: number;
  /** The factor that each failed attempt multiplies the delay by. Defaults to 2. */
  readonly factor?: number;
  /** The fraction of the delay that is randomized, from 0 to 1, so that many clients do not retry together. Defaults to 0.2. */
  readonly jitter?: number;
}

/** Returns the delay in milliseconds before retry number `attempt`, counting from 1. */
export function backoffDelay(options: BackoffOptions, attempt: number): number {
  const initial = options.initialDelayMs ?? 250;
  const max = options.maxDelayMs ?? 15_000;
  const factor = options.factor ?? 2;
  const jitter = Math.min(1, Math.max(0, options.jitter ?? 0.2));

  const base = Math.min(max, initial * factor ** Math.max(0, attempt - 1));
  const spread = base * jitter;
  const delay = base - spread + Math.random() * 2 * spread;

  return Math.round(Math.min(max, Math.max(0, delay)));
}

/** Resolves after `ms` milliseconds, or as soon as `signal` aborts. Never rejects. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) {
    return Promise.resolve();
  }

  return new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
