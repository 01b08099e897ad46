/**
 * Exponential backoff with jitter for reconnection, and a sleep that closing can cut short.
 *
 * @module
 */

import type { BackoffOptions } from "./backoff_options.ts";

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
