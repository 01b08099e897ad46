/**
 * Gates for integration tests that need a real server: a test group runs when the variable that
 * locates its server is set, is skipped with a hint otherwise, and fails in CI when skipped.
 *
 * @module
 */

/** The result of {@linkcode integrationServer}. */
export interface IntegrationServer {
  /** The server's URL, from the variable; empty when the group is skipped. */
  readonly url: string;
  /** Whether the group's tests should be ignored. */
  readonly ignore: boolean;
}

const announced = new Set<string>();

/**
 * Reads the variable that locates a test server. When it is unset, the group is skipped and a hint
 * naming the variable and the script that starts the server is printed once; when it is unset and
 * `CI` is `true`, this throws, because CI must run every group.
 *
 * @throws {Error} when the variable is unset in CI.
 *
 * @example Gate a MongoDB test group
 * ```ts
 * import { integrationServer } from "@hea/server/testing";
 *
 * const mongo = integrationServer("HEA_TEST_MONGODB_URL", "scripts/start_ferretdb.sh");
 * Deno.test({ name: "store round trip", ignore: mongo.ignore, fn: () => {} });
 * ```
 */
export function integrationServer(variable: string, startScript: string): IntegrationServer {
  const url = Deno.env.get(variable) ?? "";
  if (url !== "") {
    return { url, ignore: false };
  }
  if (Deno.env.get("CI") === "true") {
    throw new Error(`${variable} is not set: CI must run this group; start it with ${startScript}`);
  }
  if (!announced.has(variable)) {
    announced.add(variable);
    // deno-lint-ignore no-console -- test output is where the hint must appear.
    console.warn(
      `Skipping tests that need ${variable}; run ${startScript} and export what it prints.`,
    );
  }

  return { url: "", ignore: true };
}
