/**
 * Message broker settings from the environment and from the `[MessageBroker]` section of a HEA
 * INI file.
 *
 * @module
 */

// @ts-types="npm:@types/ini@4.1.1"
import ini from "ini";
import { readEnv, readTextFile } from "./_runtime.ts";

/** The topic exchange that HEA services announce desktop objects on. */
export const DEFAULT_EXCHANGE: string = "hea_desktop_objects";

/** The broker that HEA services use when nothing else is configured: RabbitMQ's default account. */
export const DEFAULT_BROKER_URL: string = "amqp://guest:guest@localhost:5672";

/** The settings that the publisher and the subscriber need. */
export interface MessageBrokerConfig {
  /** Whether the service talks to a broker at all; `false` makes publishing a no-op. */
  readonly enabled: boolean;
  /** The broker's `amqp://` or `amqps://` URL, credentials included. Redact it before logging. */
  readonly url: string;
  /** The topic exchange's name. */
  readonly exchange: string;
  /** Whether the exchange is declared durable when it does not exist yet. */
  readonly exchangeDurable: boolean;
  /** The outbox's SQLite file, or `null` for an in-memory outbox that a restart loses. */
  readonly outboxPath: string | null;
  /** How many unacknowledged messages a subscriber receives at once. */
  readonly prefetch: number;
}

/** Sources of settings for {@linkcode readBrokerConfig}. */
export interface BrokerConfigSources {
  /** The text of a HEA INI file. */
  readonly ini?: string;
  /** Environment variables; the process environment when omitted. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/**
 * Reads broker settings. Environment variables win over the INI file, which wins over the defaults.
 *
 * | setting | environment variable | INI key |
 * |---|---|---|
 * | enabled | `HEA_AMQP_ENABLED` | `MessageBrokerEnabled` in `[DEFAULT]` |
 * | url | `HEA_AMQP_URL` | `Hostname`, `Port`, `Username`, `Password` |
 * | exchange | `HEA_AMQP_EXCHANGE` | `Exchange` |
 * | exchangeDurable | `HEA_AMQP_EXCHANGE_DURABLE` | `ExchangeDurable` |
 * | outboxPath | `HEA_AMQP_OUTBOX_PATH`, else `HEASERVER_MESSAGE_BROKER_QUEUE_PATH` | `PublishQueuePersistencePath` |
 * | prefetch | `HEA_AMQP_PREFETCH` | `PrefetchCount` |
 *
 * INI keys other than `MessageBrokerEnabled` belong in `[MessageBroker]`; as with Python's
 * configparser, key names are case-insensitive and `[DEFAULT]` supplies keys a section lacks.
 * `Exchange` and `ExchangeDurable` are not read by the Python framework, whose exchange is
 * `hea_desktop_objects` and is declared non-durable.
 *
 * @throws {Error} naming the setting when a value is invalid, or when the password is encrypted
 * with HEA's `{crypt}` prefix, which this module cannot decrypt.
 *
 * @example Settings from an INI file
 * ```ts
 * import { readBrokerConfig } from "@hea/server/messaging";
 * import assert from "node:assert/strict";
 *
 * const config = readBrokerConfig({
 *   ini: "[MessageBroker]\nHostname = 127.0.0.1\nPort = 5673\nPublishQueuePersistencePath = /var/lib/svc/outbox.db\n",
 *   env: {},
 * });
 * assert.equal(config.url, "amqp://guest:guest@127.0.0.1:5673");
 * assert.equal(config.outboxPath, "/var/lib/svc/outbox.db");
 * assert.equal(config.exchange, "hea_desktop_objects");
 * ```
 */
export function readBrokerConfig(sources: BrokerConfigSources = {}): MessageBrokerConfig {
  const env = (name: string): string | undefined => {
    const value = sources.env ? sources.env[name] : readEnv(name);
    return value === "" ? undefined : value;
  };
  const section = new IniSection(sources.ini ?? "", "MessageBroker");

  const enabled = parseBoolean(
    env("HEA_AMQP_ENABLED") ?? section.getDefault("MessageBrokerEnabled"),
    "HEA_AMQP_ENABLED or MessageBrokerEnabled",
    true,
  );

  const url = env("HEA_AMQP_URL") ?? urlFromIni(section);
  checkUrl(url);

  const exchange = env("HEA_AMQP_EXCHANGE") ?? section.get("Exchange") ?? DEFAULT_EXCHANGE;

  const exchangeDurable = parseBoolean(
    env("HEA_AMQP_EXCHANGE_DURABLE") ?? section.get("ExchangeDurable"),
    "HEA_AMQP_EXCHANGE_DURABLE or ExchangeDurable",
    true,
  );

  const outboxPath = env("HEA_AMQP_OUTBOX_PATH") ??
    env("HEASERVER_MESSAGE_BROKER_QUEUE_PATH") ??
    section.get("PublishQueuePersistencePath") ??
    null;

  const prefetch = parsePositiveInteger(
    env("HEA_AMQP_PREFETCH") ?? section.get("PrefetchCount"),
    "HEA_AMQP_PREFETCH or PrefetchCount",
    1,
  );

  return { enabled, url, exchange, exchangeDurable, outboxPath, prefetch };
}

/**
 * Reads broker settings from the environment and from the HEA INI file at `iniPath`, if given.
 *
 * @throws {Error} when the file cannot be read, or as {@linkcode readBrokerConfig} does.
 *
 * @example Without an INI file
 * ```ts
 * import { loadBrokerConfig } from "@hea/server/messaging";
 * import assert from "node:assert/strict";
 *
 * const config = await loadBrokerConfig({ env: { HEA_AMQP_URL: "amqp://hea:secret@127.0.0.1:5672" } });
 * assert.equal(config.url, "amqp://hea:secret@127.0.0.1:5672");
 * assert.equal(config.outboxPath, null);
 * ```
 */
export async function loadBrokerConfig(
  options: {
    readonly iniPath?: string;
    readonly env?: Readonly<Record<string, string | undefined>>;
  } = {},
): Promise<MessageBrokerConfig> {
  let text = "";
  if (options.iniPath !== undefined) {
    try {
      text = await readTextFile(options.iniPath);
    } catch (error) {
      throw new Error(
        `Failed to read the HEA configuration file ${options.iniPath}: ${
          errorMessage(error)
        }; check the path and its permissions`,
        { cause: error },
      );
    }
  }

  return readBrokerConfig({
    ini: text,
    ...(options.env === undefined ? {} : { env: options.env }),
  });
}

/** One section of an INI file, with configparser's case-insensitive keys and `[DEFAULT]` fallback. */
class IniSection {
  readonly #values: Map<string, unknown>;
  readonly #defaults: Map<string, unknown>;

  constructor(text: string, name: string) {
    // NOTE: npm ini ends a value at an unescaped `;` or `#` and unquotes quoted values, while
    // Python's configparser keeps both. Escape such characters (`\;`) in passwords.
    const parsed = ini.parse(text) as Record<string, unknown>;
    this.#values = lowerCaseKeys(parsed[name]);
    this.#defaults = lowerCaseKeys(parsed["DEFAULT"]);
  }

  /** Returns the key's value in this section or in `[DEFAULT]`, as a string. */
  get(key: string): string | undefined {
    const lower = key.toLowerCase();
    const value = this.#values.has(lower) ? this.#values.get(lower) : this.#defaults.get(lower);

    return asString(value);
  }

  /** Returns the key's value in `[DEFAULT]`. */
  getDefault(key: string): string | undefined {
    return asString(this.#defaults.get(key.toLowerCase()));
  }
}

function lowerCaseKeys(section: unknown): Map<string, unknown> {
  const result = new Map<string, unknown>();
  if (typeof section !== "object" || section === null) {
    return result;
  }

  for (const [key, value] of Object.entries(section)) {
    result.set(key.toLowerCase(), value);
  }

  return result;
}

function asString(value: unknown): string | undefined {
  if (value === undefined || value === null || typeof value === "object") {
    return undefined;
  }
  const text = String(value).trim();

  return text === "" ? undefined : text;
}

function urlFromIni(section: IniSection): string {
  const hostname = section.get("Hostname") ?? "localhost";
  const port = parsePort(section.get("Port"));
  const username = section.get("Username") ?? "guest";
  const password = section.get("Password") ?? "guest";

  if (password.startsWith("{crypt}")) {
    // TODO: decrypt {crypt} values with the deployment's encryption key, as the Python framework does.
    throw new Error(
      "Password in [MessageBroker] is encrypted with the {crypt} prefix, which @hea/server cannot decrypt yet; " +
        "set the plain password in the INI file or set HEA_AMQP_URL",
    );
  }

  const host = hostname.includes(":") && !hostname.startsWith("[") ? `[${hostname}]` : hostname;

  return `amqp://${encodeURIComponent(username)}:${encodeURIComponent(password)}@${host}:${port}`;
}

function parsePort(value: string | undefined): number {
  if (value === undefined) {
    return 5672;
  }

  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(
      `Invalid Port "${value}" in [MessageBroker]: use a port number from 1 to 65535`,
    );
  }

  return port;
}

function checkUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(
      "Invalid broker URL in HEA_AMQP_URL or [MessageBroker]: use the form amqp://user:password@host:5672",
    );
  }

  if (parsed.protocol !== "amqp:" && parsed.protocol !== "amqps:") {
    throw new Error(
      `Invalid broker URL scheme "${parsed.protocol}" in HEA_AMQP_URL or [MessageBroker]: use amqp: or amqps:`,
    );
  }
}

/** Parses a boolean as configparser's `getboolean` does. */
function parseBoolean(value: string | undefined, setting: string, fallback: boolean): boolean {
  if (value === undefined) {
    return fallback;
  }

  const lower = value.toLowerCase();
  if (["1", "yes", "true", "on"].includes(lower)) {
    return true;
  }
  if (["0", "no", "false", "off"].includes(lower)) {
    return false;
  }

  throw new Error(`Invalid ${setting} "${value}": use true or false`);
}

function parsePositiveInteger(
  value: string | undefined,
  setting: string,
  fallback: number,
): number {
  if (value === undefined) {
    return fallback;
  }

  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) {
    throw new Error(`Invalid ${setting} "${value}": use a whole number of at least 1`);
  }

  return number;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
