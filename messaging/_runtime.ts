/**
 * The runtime seam of the messaging module: the only place that reads environment variables and
 * files. It uses `node:` built-ins, which Deno and Node both provide, so the rest of the module is
 * runtime-neutral.
 *
 * @module
 */

import process from "node:process";
import { readFile } from "node:fs/promises";

/** Returns an environment variable, or `undefined` when it is unset or access is denied. */
export function readEnv(name: string): string | undefined {
  try {
    return process.env[name];
  } catch {
    // Deno without --allow-env throws on read: treat that as unset, as other settings apply then.
    return undefined;
  }
}

/** Reads a UTF-8 text file. */
export function readTextFile(path: string): Promise<string> {
  return readFile(path, "utf8");
}
