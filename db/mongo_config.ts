/**
 * The location of a service's MongoDB: the connection string and database name, from the
 * `HEA_MONGODB_URL` environment variable or from the `[MongoDB]` section of a HEA INI file.
 *
 * @module
 */

import { parse as parseIni } from "ini";

/** The environment variable that contains a MongoDB connection string. */
export const MONGODB_URL_VARIABLE = "HEA_MONGODB_URL";

/** The INI section that configures MongoDB, as in Python HEA's configuration files. */
export const MONGODB_INI_SECTION = "MongoDB";

/** A MongoDB server and the database to use on it. */
export interface MongoConfig {
  /** The connection string, `mongodb://` or `mongodb+srv://`. It may contain a password. */
  readonly url: string;
  /** The database that contains the service's collections. */
  readonly databaseName: string;
}

/** Options of {@linkcode loadMongoConfig}. */
export interface LoadMongoConfigOptions {
  /** Reads an environment variable; defaults to `Deno.env.get`. */
  readonly env?: (name: string) => string | undefined;
  /** The path of a HEA INI file, read when `HEA_MONGODB_URL` is unset or has no database name. */
  readonly iniFile?: string;
}

const URL_PATTERN = /^mongodb(\+srv)?:\/\/([^/?#]*)(\/[^?#]*)?/;
const DATABASE_NAME_PATTERN = /^[^/\\. "$*<>:|?\0]{1,63}$/;

/**
 * Builds a configuration from a connection string. The database name is `databaseName` when given,
 * else the path of the URL, as MongoDB's drivers read it (`mongodb://host/hea` names `hea`).
 *
 * @throws {TypeError} when the URL is not a MongoDB connection string or names no valid database.
 *
 * @example
 * ```ts
 * import { mongoConfigFromUrl } from "@hea/server/db";
 * import assert from "node:assert/strict";
 *
 * assert.equal(mongoConfigFromUrl("mongodb://127.0.0.1:27017/hea").databaseName, "hea");
 * assert.equal(mongoConfigFromUrl("mongodb://127.0.0.1:27017/", "other").databaseName, "other");
 * ```
 */
export function mongoConfigFromUrl(url: string, databaseName?: string): MongoConfig {
  const match = URL_PATTERN.exec(url);
  if (!match) {
    throw new TypeError(
      `Invalid MongoDB connection string ${
        redactConnectionString(url)
      }: it must start with mongodb:// or mongodb+srv://`,
    );
  }

  const name = databaseName ?? decodeDatabaseName(match[3] ?? "", url);
  if (name === "") {
    throw new TypeError(
      `The MongoDB connection string ${
        redactConnectionString(url)
      } names no database: add /NAME after the hosts or set Name in the [MongoDB] section`,
    );
  }
  if (!DATABASE_NAME_PATTERN.test(name)) {
    throw new TypeError(
      `Invalid MongoDB database name "${name}": use at most 63 characters, none of / \\ . space " $ * < > : | ?`,
    );
  }

  return { url, databaseName: name };
}

function decodeDatabaseName(path: string, url: string): string {
  try {
    return decodeURIComponent(path.replace(/^\//, ""));
  } catch {
    throw new TypeError(
      `The database name in ${redactConnectionString(url)} is not valid percent-encoding`,
    );
  }
}

/**
 * Reads the `[MongoDB]` section of a HEA INI file's text: `ConnectionString`, and `Name` for the
 * database name (else the name in the URL). Keys are matched without regard to case, and keys
 * missing from the section are taken from `[DEFAULT]`, as Python's configparser does. Returns `null`
 * when there is no connection string.
 *
 * @throws {TypeError} when the connection string is invalid or contains a `{crypt}`-encrypted
 * password, which this library cannot decrypt.
 *
 * @example
 * ```ts
 * import { mongoConfigFromIni } from "@hea/server/db";
 * import assert from "node:assert/strict";
 *
 * const config = mongoConfigFromIni("[MongoDB]\nConnectionString = mongodb://127.0.0.1:27017/\nName = hea\n");
 * assert.deepEqual(config, { url: "mongodb://127.0.0.1:27017/", databaseName: "hea" });
 * assert.equal(mongoConfigFromIni("[DEFAULT]\nRegistry = http://127.0.0.1:8080\n"), null);
 * ```
 */
export function mongoConfigFromIni(text: string): MongoConfig | null {
  const section = readMongoSection(text);
  if (section.url === undefined) {
    return null;
  }

  return mongoConfigFromUrl(section.url, section.name);
}

/** Reads `ConnectionString` and `Name` from an INI file's text; each is `undefined` when missing. */
function readMongoSection(text: string): { url?: string; name?: string } {
  const sections = parseIni(escapeInlineCommentCharacters(text)) as Record<string, unknown>;
  const section = asRecord(sections[MONGODB_INI_SECTION]);
  const defaults = asRecord(sections.DEFAULT);
  const url = lookup(section, "ConnectionString") ?? lookup(defaults, "ConnectionString");
  const name = lookup(section, "Name") ?? lookup(defaults, "Name");
  if (url?.includes("{crypt}")) {
    throw new TypeError(
      "The [MongoDB] ConnectionString contains a {crypt}-encrypted value, which this library cannot decrypt; set HEA_MONGODB_URL to the plain connection string instead",
    );
  }

  return { ...(url ? { url } : {}), ...(name ? { name } : {}) };
}

/**
 * Python's configparser ends a value only at a line break, so `#` and `;` inside a value (common in
 * passwords) are data. The `ini` package treats them as the start of a comment unless escaped with a
 * backslash, so escape them, and backslashes themselves, in every value line.
 */
function escapeInlineCommentCharacters(text: string): string {
  return text.split(/\r?\n/).map((line) => {
    const trimmed = line.trimStart();
    const separator = line.indexOf("=");
    if (
      separator < 0 || trimmed.startsWith("#") || trimmed.startsWith(";") || trimmed.startsWith("[")
    ) {
      return line;
    }
    const value = line.slice(separator + 1).replace(/[\\#;]/g, (character) => `\\${character}`);

    return line.slice(0, separator + 1) + value;
  }).join("\n");
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null ? value as Record<string, unknown> : {};
}

function lookup(section: Record<string, unknown>, key: string): string | undefined {
  const lowerCaseKey = key.toLowerCase();
  for (const [name, value] of Object.entries(section)) {
    if (name.trim().toLowerCase() === lowerCaseKey && value !== undefined && value !== null) {
      return String(value).trim();
    }
  }

  return undefined;
}

/**
 * Finds the service's MongoDB: `HEA_MONGODB_URL` first, else the `[MongoDB]` section of
 * `options.iniFile`. When the variable's URL names no database, the INI file's `Name` is used.
 * Returns `null` when neither names a server, so the service can fall back to the embedded store.
 *
 * @throws {TypeError} when a connection string is invalid or names no database.
 * @throws {Deno.errors.NotFound} when `options.iniFile` does not exist.
 *
 * @example Read the variable
 * ```ts
 * import { loadMongoConfig } from "@hea/server/db";
 * import assert from "node:assert/strict";
 *
 * const variables: Record<string, string> = { HEA_MONGODB_URL: "mongodb://127.0.0.1:27017/hea" };
 * const config = await loadMongoConfig({ env: (name) => variables[name] });
 * assert.equal(config?.databaseName, "hea");
 * assert.equal(await loadMongoConfig({ env: () => undefined }), null);
 * ```
 */
export async function loadMongoConfig(
  options: LoadMongoConfigOptions = {},
): Promise<MongoConfig | null> {
  const env = options.env ?? ((name: string) => Deno.env.get(name));
  const ini = options.iniFile === undefined
    ? {}
    : readMongoSection(await Deno.readTextFile(options.iniFile));
  const url = env(MONGODB_URL_VARIABLE);

  if (url !== undefined && url !== "") {
    const path = URL_PATTERN.exec(url)?.[3] ?? "";
    const urlNamesDatabase = path.replace(/^\//, "") !== "";

    return mongoConfigFromUrl(url, urlNamesDatabase ? undefined : ini.name);
  }
  if (ini.url !== undefined) {
    return mongoConfigFromUrl(ini.url, ini.name);
  }

  return null;
}

/**
 * Returns a connection string with its password replaced by `***`, for logs and error messages.
 *
 * @example
 * ```ts
 * import { redactConnectionString } from "@hea/server/db";
 * import assert from "node:assert/strict";
 *
 * assert.equal(
 *   redactConnectionString("mongodb://heauser:s3cret@db.internal:27017/hea"),
 *   "mongodb://heauser:***@db.internal:27017/hea",
 * );
 * ```
 */
export function redactConnectionString(url: string): string {
  const schemeEnd = url.indexOf("://");
  if (schemeEnd < 0) {
    // Not a URL at all: it may be a bare secret, so show none of it.
    return "***";
  }

  // A password should be percent-encoded, but one that is not may contain any of / ? # @, so the
  // user information is taken to end at the last @ anywhere. That over-redacts a URL whose query
  // contains an @, which is harmless, and never shows an unencoded password.
  const userInfoStart = schemeEnd + 3;
  const at = url.lastIndexOf("@");
  if (at < userInfoStart) {
    return url;
  }
  const colon = url.slice(userInfoStart, at).indexOf(":");
  if (colon < 0) {
    return url;
  }

  return `${url.slice(0, userInfoStart + colon)}:***${url.slice(at)}`;
}
