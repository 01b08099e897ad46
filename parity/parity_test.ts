/**
 * The parity run: replays the recorded requests against the Python registry (heaserver-registry)
 * and examples/registry, each on its own FerretDB database loaded with the same fixtures, and
 * compares status codes, relevant headers and bodies structurally. Each request is one step, and a
 * step fails on any difference that no allowance in `allowances.ts` accepts. The run also fails
 * when an allowance accepts nothing, so the list stays true.
 *
 * Needs `HEA_TEST_MONGODB_URL` (scripts/start_ferretdb.sh) and `HEA_TEST_PYTHON_REGISTRY_URL`
 * (scripts/install_python_registry.sh, then scripts/start_python_registry.sh). Set
 * `HEA_TEST_PARITY_REPORT` to a file path to write every normalized response pair there as JSON.
 *
 * @module
 */

import assert from "node:assert/strict";
import { type Db, MongoClient, ObjectId } from "mongodb";
import { MongoDatabase } from "../db/mod.ts";
import { createRegistryService } from "../examples/registry/service.ts";
import { integrationServer } from "../testing/integration.ts";
import { compareJson, type JsonDifference, ParityNormalizer } from "../testing/parity.ts";
import { startTestServer } from "../testing/test_server.ts";
import { type Allowance, ALLOWANCES } from "./allowances.ts";
import { FIXTURE_DATE_ATTRIBUTES, FIXTURE_IDS, FIXTURES, SYSTEM_NONE } from "./fixtures.ts";
import { MEDIA_TYPES, RECORDED_REQUESTS, type RecordedRequest } from "./requests.ts";

const mongo = integrationServer("HEA_TEST_MONGODB_URL", "scripts/start_ferretdb.sh");
const python = integrationServer(
  "HEA_TEST_PYTHON_REGISTRY_URL",
  "scripts/install_python_registry.sh and scripts/start_python_registry.sh",
);

/** The database that scripts/start_python_registry.sh configures the Python registry with. */
const PYTHON_DATABASE = Deno.env.get("HEA_TEST_PYTHON_REGISTRY_DATABASE") ?? "hea_parity_python";
const TYPESCRIPT_DATABASE = "hea_parity_typescript";
const COLLECTIONS = ["components", "properties"] as const;

/** The gateway host that HEA's own service tests send, so both services build the same links. */
const FORWARDED_HOST = "localhost:8080";

/** The response headers compared, besides the status and the body. */
const COMPARED_HEADERS = [
  "content-type",
  "location",
  "allow",
  "cache-control",
  "pragma",
  "expires",
] as const;

/** A response reduced to what the comparison looks at, after normalization. */
interface WireView {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: unknown;
}

/** One service under test: where it is, and the ids that its POSTs returned. */
interface Target {
  readonly label: string;
  readonly url: string;
  readonly created: Map<string, string>;
}

Deno.test({
  name: "parity with the Python registry",
  ignore: mongo.ignore || python.ignore,
  // The driver keeps pooled connections and monitoring timers open until close, and fetch pools
  // the keep-alive connections to the Python registry.
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async (t) => {
    const client = new MongoClient(mongo.url, { serverSelectionTimeoutMS: 5000 });
    const database = new MongoDatabase({ url: mongo.url, databaseName: TYPESCRIPT_DATABASE });
    try {
      await loadFixtures(client.db(PYTHON_DATABASE));
      await loadFixtures(client.db(TYPESCRIPT_DATABASE));
      const router = await createRegistryService({ database });
      await copyIndexes(client.db(TYPESCRIPT_DATABASE), client.db(PYTHON_DATABASE));
      await using server = startTestServer(router.fetch);

      const pythonTarget: Target = { label: "python", url: python.url, created: new Map() };
      const ourTarget: Target = { label: "typescript", url: server.url, created: new Map() };
      await clearPythonCaches(pythonTarget);

      const used = new Set<string>();
      const report: unknown[] = [];
      const started = performance.now();
      for (const request of RECORDED_REQUESTS) {
        await t.step(request.name, async () => {
          const expected = await replay(pythonTarget, request);
          const actual = await replay(ourTarget, request);
          const differences = compareJson(expected, actual);
          const unexplained = differences.filter((difference) => {
            const allowance = ALLOWANCES.find((candidate) =>
              candidate.accepts(request, difference, expected, actual)
            );
            if (allowance) {
              used.add(allowance.name);
            }
            return allowance === undefined;
          });
          report.push({ request: request.name, python: expected, typescript: actual, differences });

          assert.deepEqual(
            unexplained,
            [],
            `${request.method} ${request.path} differs from the Python registry:\n${
              describe(unexplained)
            }`,
          );
        });
      }
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      // deno-lint-ignore no-console -- the duration of the replay belongs in the test output.
      console.log(`Replayed ${RECORDED_REQUESTS.length} requests against both in ${seconds} s`);

      const reportPath = Deno.env.get("HEA_TEST_PARITY_REPORT");
      if (reportPath) {
        await Deno.writeTextFile(reportPath, JSON.stringify(report, null, 2));
      }

      await t.step("every allowance is needed", () => {
        const unused = ALLOWANCES.map((allowance: Allowance) => allowance.name).filter((name) =>
          !used.has(name)
        );
        assert.deepEqual(unused, [], "These allowances accepted no difference; remove them");
      });
    } finally {
      await database.close();
      await client.close();
    }
  },
});

/** Replaces a collection's documents with the fixtures. */
async function loadFixtures(db: Db): Promise<void> {
  for (const collection of COLLECTIONS) {
    await db.collection(collection).drop().catch(ignoreNamespaceNotFound);
    const documents = FIXTURES[collection].map((fixture) => {
      const document: Record<string, unknown> = { ...fixture, _id: new ObjectId(fixture._id) };
      for (const attribute of FIXTURE_DATE_ATTRIBUTES) {
        const value = document[attribute];
        if (typeof value === "string") {
          document[attribute] = new Date(value);
        }
      }
      return document;
    });
    await db.collection(collection).insertMany(documents);
  }
}

/**
 * Creates in `target` the indexes that examples/registry created in `source`, so that both
 * databases reject duplicate names. heaserver 1.72 creates no indexes itself.
 */
async function copyIndexes(source: Db, target: Db): Promise<void> {
  for (const collection of COLLECTIONS) {
    for (const index of await source.collection(collection).listIndexes().toArray()) {
      if (index.name === "_id_") {
        continue;
      }
      const { key, v: _version, ns: _namespace, ...options } = index;
      await target.collection(collection).createIndex(key, options);
    }
  }
}

/**
 * Clears the Python registry's cached lists with a POST and a DELETE in each collection, which
 * leave the fixtures as they were. The registry caches lists for 30 seconds, so a run started soon
 * after the last one could otherwise read that run's objects.
 */
async function clearPythonCaches(target: Target): Promise<void> {
  const bodies = {
    components: { type: "heaobject.registry.Component", name: "parity-cache-reset" },
    properties: { type: "heaobject.registry.Property", name: "PARITY_CACHE_RESET" },
  };
  for (const collection of COLLECTIONS) {
    const created = await fetch(`${target.url}/${collection}`, {
      method: "POST",
      headers: { ...callerHeaders(SYSTEM_NONE), "content-type": MEDIA_TYPES.json },
      body: JSON.stringify(bodies[collection]),
    });
    await created.body?.cancel();
    const location = created.headers.get("location");
    assert.equal(created.status, 201, `POST /${collection} to the Python registry failed`);
    assert.ok(location, `POST /${collection} to the Python registry returned no Location`);

    const deleted = await fetch(location.replace(/^https?:\/\/[^/]+/, target.url), {
      method: "DELETE",
      headers: callerHeaders(SYSTEM_NONE),
    });
    await deleted.body?.cancel();
    assert.equal(deleted.status, 204, `DELETE of ${location} from the Python registry failed`);
  }
}

function callerHeaders(sub: string | null): Record<string, string> {
  return {
    "x-forwarded-host": FORWARDED_HOST,
    ...(sub === null ? {} : { OIDC_CLAIM_sub: sub }),
  };
}

/** Sends a recorded request to one service and returns the normalized response. */
async function replay(target: Target, request: RecordedRequest): Promise<WireView> {
  const headers: Record<string, string> = callerHeaders(
    request.sub === undefined ? SYSTEM_NONE : request.sub,
  );
  if (request.accept !== undefined) {
    headers.accept = request.accept;
  }
  if (request.contentType !== undefined) {
    headers["content-type"] = request.contentType;
  }

  const response = await fetch(`${target.url}${resolve(target, request.path)}`, {
    method: request.method,
    headers,
    redirect: "manual",
    ...(request.body === undefined ? {} : { body: resolve(target, request.body) }),
  });
  const text = await response.text();

  if (request.capture !== undefined && response.status === 201) {
    const id = response.headers.get("location")?.split("/").pop();
    if (id) {
      target.created.set(request.capture, id);
    }
  }

  return wireView(response, text);
}

function wireView(response: Response, text: string): WireView {
  const normalizer = new ParityNormalizer({
    keepIds: Object.values(FIXTURE_IDS),
    sortStringLists: true,
  });
  const all = normalizer.normalizeHeaders(response.headers);
  const headers: Record<string, string> = {};
  for (const name of COMPARED_HEADERS) {
    const value = all[name];
    if (value !== undefined) {
      headers[name] = name === "allow" ? sortedMethods(value) : value;
    }
  }

  return { status: response.status, headers, body: normalizer.normalize(parseBody(text)) };
}

/** `Allow` lists methods in no defined order, so compare them sorted. */
function sortedMethods(allow: string): string {
  return allow.split(",").map((method) => method.trim().toUpperCase()).filter(Boolean).sort()
    .join(", ");
}

function parseBody(text: string): unknown {
  if (text === "") {
    return "";
  }
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Replaces `{fixture:NAME}` and `{created:KEY}` with this service's ids. */
function resolve(target: Target, text: string): string {
  return text.replace(/\{(fixture|created):([A-Za-z]+)\}/g, (_match, kind: string, key: string) => {
    const fixtureIds: Readonly<Record<string, string | undefined>> = FIXTURE_IDS;
    const id = kind === "fixture" ? fixtureIds[key] : target.created.get(key);
    if (id === undefined) {
      throw new Error(
        `No ${kind} id ${key} for ${target.label}: check the placeholder, or the earlier POST that captures it`,
      );
    }
    return id;
  });
}

function describe(differences: readonly JsonDifference[]): string {
  return differences.map((difference) =>
    `  ${difference.path} (${difference.kind}): python ${
      JSON.stringify(difference.expected)
    }, typescript ${JSON.stringify(difference.actual)}`
  ).join("\n");
}

function ignoreNamespaceNotFound(error: unknown): void {
  if ((error as { code?: unknown }).code !== 26) {
    throw error;
  }
}
