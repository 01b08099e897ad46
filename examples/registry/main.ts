/**
 * Starts the registry service: `deno task start [--port 8080] [--database FILE] [--base-url URL]`.
 * With `--mongodb URL`, `HEA_MONGODB_URL` or a HEA INI file's `[MongoDB] ConnectionString`, it
 * serves from MongoDB; otherwise from the embedded SQLite store. With `--amqp URL`, `HEA_AMQP_URL`
 * or an INI file's `[MessageBroker]` section, it publishes its activity to RabbitMQ.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { configure, getConsoleSink, getLogger } from "@logtape/logtape";
import {
  type Database,
  loadMongoConfig,
  mongoConfigFromUrl,
  MongoDatabase,
  redactConnectionString,
  serve,
  SqliteDatabase,
} from "../../mod.ts";
import { loadBrokerConfig, Publisher } from "../../messaging/mod.ts";
import { AUTH_USAGE, loadRegistryAuth, type RegistryAuth } from "./auth_config.ts";
import { addSampleData, createRegistryService } from "./service.ts";

const USAGE = `Usage: deno task start [options]

Options:
  --port PORT        the port to listen on (default 8080)
  --hostname HOST    the address to listen on (default 127.0.0.1; deno task start may connect
                     to 127.0.0.1 only, so run main.ts with a wider --allow-net for others)
  --database FILE    the SQLite file of the embedded store (default .hea/registry.sqlite;
                     :memory: keeps nothing after a stop)
  --mongodb URL      serve from MongoDB at this connection string instead of the embedded
                     store (default: HEA_MONGODB_URL, else [MongoDB] ConnectionString of --config)
  --amqp URL         publish activity to the RabbitMQ broker at this URL (default: HEA_AMQP_URL,
                     else the [MessageBroker] section of --config; none: publish nothing)
  --config FILE      a HEA INI configuration file
  --base-url URL     the URL clients reach the service at, for links and Location headers
                     (default http://HOST:PORT, unless X-Forwarded-* headers give another)
${AUTH_USAGE}
  --help             show this text`;

const values = parseCommandLine();
if (values.help) {
  // deno-lint-ignore no-console -- help text goes to standard output.
  console.log(USAGE);
  Deno.exit(0);
}
const port = /^\d{1,5}$/.test(values.port) ? Number(values.port) : Number.NaN;
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  exitWithUsage(`Invalid --port ${JSON.stringify(values.port)}: use an integer from 0 to 65535`);
}
if (values["base-url"] !== undefined && !/^https?:\/\/[^\s/]+/.test(values["base-url"])) {
  exitWithUsage(
    `Invalid --base-url ${JSON.stringify(values["base-url"])}: use an absolute http or https URL`,
  );
}

await configure({
  sinks: { console: getConsoleSink() },
  loggers: [
    { category: ["hea"], lowestLevel: "info", sinks: ["console"] },
    { category: ["logtape", "meta"], lowestLevel: "warning", sinks: ["console"] },
  ],
});
const logger = getLogger(["hea", "registry"]);

let auth: RegistryAuth;
try {
  auth = await loadRegistryAuth(values);
} catch (error) {
  exitWithUsage(error instanceof Error ? error.message : String(error));
}
logger.info("Authentication: {summary}", { summary: auth.summary });

let database: Database;
try {
  database = await openDatabase();
} catch (error) {
  logger.error("Cannot open the store: {error}", { error });
  Deno.exit(1);
}
const added = await addSampleData(database);
if (added > 0) {
  logger.info("Added {count} sample objects", { count: added });
}

const baseUrl = values["base-url"] ??
  (port === 0 ? undefined : `http://${formatHost(values.hostname)}:${port}`);
const publisher = await openPublisher();
const router = await createRegistryService({
  database,
  ...(publisher ? { publisher } : {}),
  ...(auth.authenticate ? { authenticate: auth.authenticate } : {}),
  ...(auth.groups ? { groups: auth.groups } : {}),
  // Without --base-url, links name the address the service listens on, never a client's Host
  // header. With port 0 the port is not known yet, so the Host header decides.
  ...(baseUrl ? { baseUrl } : {}),
});
try {
  startServer();
} catch (error) {
  logger.error("Cannot listen on {hostname}:{port}: {error}", {
    hostname: values.hostname,
    port,
    error,
  });
  await publisher?.close({ timeoutMs: 1_000 });
  await database.close();
  Deno.exit(1);
}

function startServer(): void {
  serve(router.fetch, {
    hostname: values.hostname,
    port,
    onShutdown: async () => {
      const outcome = await publisher?.close({ timeoutMs: 10_000 });
      if (outcome && !outcome.drained) {
        logger.warn("Stopped with {pending} messages not confirmed by the broker", {
          pending: outcome.pending,
        });
      }
      await database.close();
    },
  });
}

/**
 * Starts a publisher when a broker is configured: by --amqp, HEA_AMQP_URL, or a [MessageBroker]
 * section in the INI file. Without one the registry publishes nothing.
 */
async function openPublisher(): Promise<Publisher | undefined> {
  const iniText = values.config ? await Deno.readTextFile(values.config) : "";
  const configured = values.amqp !== undefined || Deno.env.get("HEA_AMQP_URL") !== undefined ||
    /^\s*\[MessageBroker\]/im.test(iniText);
  if (!configured) {
    return undefined;
  }

  const config = await loadBrokerConfig({
    ...(values.config ? { iniPath: values.config } : {}),
    env: { ...Deno.env.toObject(), ...(values.amqp ? { HEA_AMQP_URL: values.amqp } : {}) },
  });
  if (!config.enabled) {
    logger.info("The message broker is disabled in the configuration; publishing nothing");
    return undefined;
  }

  const publisher = Publisher.fromConfig(config);
  publisher.start();
  logger.info("Publishing activity to exchange {exchange}", { exchange: config.exchange });
  return publisher;
}

/** Opens MongoDB when a connection string is configured, else the embedded SQLite store. */
async function openDatabase(): Promise<Database> {
  const mongo = values.mongodb
    ? mongoConfigFromUrl(values.mongodb)
    : await loadMongoConfig(values.config ? { iniFile: values.config } : {});
  if (mongo) {
    logger.info("Serving from MongoDB at {url}", { url: redactConnectionString(mongo.url) });
    return new MongoDatabase(mongo);
  }

  if (values.database !== ":memory:") {
    const directory = values.database.replace(/[^/]*$/, "");
    if (directory) {
      await Deno.mkdir(directory, { recursive: true });
    }
  }
  logger.info("Serving from the embedded store {path}", { path: values.database });
  return new SqliteDatabase({ path: values.database });
}

function formatHost(hostname: string): string {
  return hostname.includes(":") ? `[${hostname}]` : hostname;
}

/** Reads the command line, exiting with the usage text on an unknown option or a missing value. */
function parseCommandLine() {
  try {
    return parseArgs({
      options: {
        port: { type: "string", default: "8080" },
        hostname: { type: "string", default: "127.0.0.1" },
        database: { type: "string", default: ".hea/registry.sqlite" },
        "base-url": { type: "string" },
        mongodb: { type: "string" },
        config: { type: "string" },
        amqp: { type: "string" },
        auth: { type: "string" },
        "jwks-url": { type: "string" },
        issuer: { type: "string" },
        audience: { type: "string" },
        algorithms: { type: "string" },
        "allow-anonymous": { type: "boolean" },
        "people-url": { type: "string" },
        "groups-claim": { type: "string" },
        help: { type: "boolean", default: false },
      },
    }).values;
  } catch (error) {
    return exitWithUsage(error instanceof Error ? error.message : String(error));
  }
}

/** Prints a usage error and exits with status 2, the convention for a wrong command line. */
function exitWithUsage(message: string): never {
  // deno-lint-ignore no-console -- a usage error goes to standard error, before logging is set up.
  console.error(`${message}\n\n${USAGE}`);
  Deno.exit(2);
}
