/**
 * Configuration values from environment variables, or from files that `NAME_FILE` variables point
 * to, the way Docker and Kubernetes mount secrets.
 *
 * @module
 */

/** The sources that {@linkcode readConfigValue} reads, which tests replace. */
export interface ConfigSources {
  /** Reads an environment variable. Defaults to `Deno.env.get`. */
  readonly env?: (name: string) => string | undefined;
  /** Reads a file as UTF-8 text. Defaults to `Deno.readTextFile`. */
  readonly readTextFile?: (path: string) => Promise<string>;
}

const VARIABLE_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Reads a configuration value from the environment variable `name`, or from the file named by the
 * variable `{name}_FILE`. One line break at the end of the file is removed, because editors and
 * `echo` add one. An empty variable counts as unset. Returns `undefined` when neither variable is
 * set. Error messages name the variables and the file path, never the value.
 *
 * @throws {Error} when both variables are set, or when the file cannot be read or is empty.
 * @throws {TypeError} when `name` is not a valid variable name.
 *
 * @example Read a password from a mounted secret
 * ```ts
 * import { readConfigValue } from "@hea/server/http";
 * import assert from "node:assert/strict";
 *
 * const variables: Record<string, string> = { HEA_DB_PASSWORD_FILE: "/run/secrets/db_password" };
 * const files: Record<string, string> = { "/run/secrets/db_password": "s3cret\n" };
 * const sources = {
 *   env: (name: string) => variables[name],
 *   readTextFile: (path: string) => Promise.resolve(files[path] ?? ""),
 * };
 * assert.equal(await readConfigValue("HEA_DB_PASSWORD", sources), "s3cret");
 * assert.equal(await readConfigValue("HEA_UNSET", sources), undefined);
 * ```
 */
export async function readConfigValue(
  name: string,
  sources: ConfigSources = {},
): Promise<string | undefined> {
  if (!VARIABLE_NAME_PATTERN.test(name)) {
    throw new TypeError(
      `Invalid configuration variable name ${JSON.stringify(name)}: use letters, digits and _`,
    );
  }
  const env = sources.env ?? ((variable: string) => Deno.env.get(variable));
  const fileVariable = `${name}_FILE`;

  const direct = nonEmpty(env(name));
  const path = nonEmpty(env(fileVariable));
  if (direct !== undefined && path !== undefined) {
    throw new Error(`Both ${name} and ${fileVariable} are set; set only one of them`);
  }
  if (path === undefined) {
    return direct;
  }

  const readTextFile = sources.readTextFile ?? ((file: string) => Deno.readTextFile(file));
  let text: string;
  try {
    text = await readTextFile(path);
  } catch (error) {
    // The cause carries the system error (not found, permission denied) but never the contents.
    throw new Error(
      `Cannot read ${fileVariable} file ${path}; check the path and its permissions`,
      {
        cause: error,
      },
    );
  }

  const value = text.replace(/\r?\n$/, "");
  if (value === "") {
    throw new Error(`The ${fileVariable} file ${path} is empty; write the value into it`);
  }

  return value;
}

/**
 * Reads a configuration value like {@linkcode readConfigValue}, but throws when neither variable is
 * set.
 *
 * @throws {Error} when the value is missing, or for the reasons {@linkcode readConfigValue} throws.
 *
 * @example
 * ```ts
 * import { requireConfigValue } from "@hea/server/http";
 * import assert from "node:assert/strict";
 *
 * const sources = { env: (name: string) => (name === "HEA_PEOPLE_URL" ? "http://127.0.0.1:8087" : undefined) };
 * assert.equal(await requireConfigValue("HEA_PEOPLE_URL", sources), "http://127.0.0.1:8087");
 * await assert.rejects(requireConfigValue("HEA_OIDC_ISSUER", sources), /HEA_OIDC_ISSUER_FILE/);
 * ```
 */
export async function requireConfigValue(
  name: string,
  sources: ConfigSources = {},
): Promise<string> {
  const value = await readConfigValue(name, sources);
  if (value === undefined) {
    throw new Error(
      `Missing configuration: set ${name}, or ${name}_FILE to a file that contains it`,
    );
  }

  return value;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}
