/**
 * Property-based fuzzing of every input parser, directly and through the registry example served
 * on loopback: no 5xx, no crash, a 400 that names what is wrong, and no change to stored data when
 * a request is rejected.
 *
 * Runs are bounded by a count and a time limit per property so the suite stays fast. Set
 * `HEA_FUZZ_RUNS` to a larger count, and `HEA_FUZZ_SECONDS` to a longer limit, for a deeper run.
 */

import assert from "node:assert/strict";
import fc from "fast-check";
import {
  AdminPermissionContext,
  ComponentType,
  type Database,
  HttpError,
  InvalidObjectError,
  jwtAuthenticator,
  parseObject,
  parsePage,
  parseRequestBody,
  parseSort,
  PropertyType,
  ResourceType,
  type RunningServer,
  serve,
  SqliteDatabase,
  templateToObject,
} from "../../mod.ts";
import { BodyTooLargeError } from "../../representors/mod.ts";
import { startOidcIssuer } from "../../testing/oidc_issuer.ts";
import { createRegistryService, REGISTRY_TYPES } from "./service.ts";

const RUNS = Number(Deno.env.get("HEA_FUZZ_RUNS") ?? "100");
const TIME_LIMIT_MS = Number(Deno.env.get("HEA_FUZZ_SECONDS") ?? "3") * 1000;
const DIRECT_RUNS = RUNS * 5;

function runOptions(numRuns = RUNS): fc.Parameters<unknown> {
  return { numRuns, plugins: [fc.interruptAfterTimeLimit(TIME_LIMIT_MS)] };
}

// ---------------------------------------------------------------------------------------------
// Arbitraries: input that mixes real attribute names, type names and pollution keys with noise,
// so most values get past the first check and reach the deeper ones.

const POLLUTION_KEYS = ["__proto__", "constructor", "prototype"];
const ATTRIBUTE_NAMES = [
  ...new Set([
    ...Object.keys(ComponentType.attributes),
    ...Object.keys(PropertyType.attributes),
    ...Object.keys(ResourceType.attributes),
    "user",
    "group",
    "permissions",
    "basis",
  ]),
];
const TYPE_NAMES = [
  ComponentType.name,
  PropertyType.name,
  ResourceType.name,
  "heaobject.root.ShareImpl",
];

const keyArbitrary = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...ATTRIBUTE_NAMES) },
  { weight: 1, arbitrary: fc.constantFrom(...POLLUTION_KEYS, "toString", "hasOwnProperty") },
  { weight: 2, arbitrary: fc.string({ maxLength: 12 }) },
);

const scalarArbitrary = fc.oneof(
  fc.string({ maxLength: 24 }),
  fc.string({ maxLength: 8, unit: "grapheme" }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom(
    ...TYPE_NAMES,
    "VIEWER",
    "EDITOR",
    "DELETER",
    "system|all",
    "alice",
    "USER",
    "GROUP",
    "2024-01-31T12:00:00Z",
    "true",
    "",
    "NaN",
  ),
);

const { value: valueArbitrary } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", maxDepth: 4 },
    scalarArbitrary,
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(keyArbitrary, tie("value"), { maxKeys: 5 }),
  ),
}));

/** An object that claims to be a registry type, with attributes of any kind. */
const objectInputArbitrary = fc
  .tuple(
    fc.constantFrom(...TYPE_NAMES, "x"),
    fc.dictionary(keyArbitrary, valueArbitrary, { maxKeys: 8 }),
  )
  .map(([type, attributes]) => ({ type, ...attributes }));

/** A valid component or property with up to two attributes changed, so many inputs get stored. */
const nearValidArbitrary = fc
  .tuple(
    fc.boolean(),
    fc.string({ minLength: 1, maxLength: 10 }),
    fc.dictionary(keyArbitrary, valueArbitrary, { maxKeys: 2 }),
  )
  .map(([component, name, changes]) => ({
    ...(component
      ? {
        type: ComponentType.name,
        name,
        base_url: "http://127.0.0.1:9",
        resources: [{ type: ResourceType.name, resource_type_name: "x.Y", base_path: "ys" }],
        user_shares: [{ type: "heaobject.root.ShareImpl", user: "bob", permissions: ["VIEWER"] }],
      }
      : { type: PropertyType.name, name, value: "v" }),
    ...changes,
  }));

const inputArbitrary = fc.oneof(objectInputArbitrary, nearValidArbitrary);

const rowArbitrary = fc.record(
  {
    name: fc.oneof(keyArbitrary, scalarArbitrary),
    value: valueArbitrary,
    section: fc.oneof(
      fc.constantFrom("resources", "user_shares", ...POLLUTION_KEYS),
      scalarArbitrary,
    ),
    index: fc.oneof(fc.integer({ min: -2, max: 3 }), scalarArbitrary),
  },
  { requiredKeys: ["name"] },
);

/** Turns an object into template rows, with lists of objects as indexed section rows. */
function templateRows(object: Record<string, unknown>): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [];
  for (const [name, value] of Object.entries(object)) {
    const members = Array.isArray(value) && value.every((member) =>
        typeof member === "object" && member !== null
      )
      ? value as Record<string, unknown>[]
      : undefined;
    if (!members || members.length === 0) {
      rows.push({ name, value });
      continue;
    }
    members.forEach((member, index) => {
      for (const [memberName, memberValue] of Object.entries(member)) {
        rows.push({ section: name, index, name: memberName, value: memberValue });
      }
    });
  }

  return rows;
}

/** A Collection+JSON template: the object's attributes as rows, plus rows of noise. */
const templateArbitrary = fc.oneof(
  fc
    .tuple(inputArbitrary, fc.array(rowArbitrary, { maxLength: 3 }))
    .map(([object, extra]) => ({ template: { data: [...templateRows(object), ...extra] } })),
  fc.record({
    template: fc.record({
      data: fc.oneof(fc.array(valueArbitrary, { maxLength: 4 }), valueArbitrary),
    }),
  }),
  valueArbitrary,
);

/** A form: the object's scalar attributes as pairs, plus pairs of noise. */
const formArbitrary = fc
  .tuple(
    inputArbitrary,
    fc.array(
      fc.tuple(keyArbitrary, fc.oneof(fc.string({ maxLength: 16 }), scalarArbitrary.map(String))),
      {
        maxLength: 4,
      },
    ),
  )
  .map(([object, extra]) => {
    const pairs = Object.entries(object)
      .filter(([, value]) => typeof value !== "object" || value === null)
      .map(([name, value]) => [name, String(value)]);
    return new URLSearchParams([...pairs, ...extra]).toString();
  });

const MEDIA_TYPES = [
  "application/json",
  "application/vnd.collection+json",
  "application/x-www-form-urlencoded",
  "application/json; charset=utf-8",
  "text/plain",
  "",
];

/** A request body of any of the kinds the service parses, with a matching or wrong media type. */
const bodyArbitrary: fc.Arbitrary<{ contentType: string; body: string | Uint8Array<ArrayBuffer> }> =
  fc.oneof(
    inputArbitrary.map((object) => ({
      contentType: "application/json",
      body: JSON.stringify(object),
    })),
    fc.array(inputArbitrary, { maxLength: 2 }).map((list) => ({
      contentType: "application/json",
      body: JSON.stringify(list),
    })),
    templateArbitrary.map((template) => ({
      contentType: "application/vnd.collection+json",
      body: JSON.stringify(template),
    })),
    formArbitrary.map((form) => ({ contentType: "application/x-www-form-urlencoded", body: form })),
    fc.tuple(fc.constantFrom(...MEDIA_TYPES), fc.string({ maxLength: 64 })).map((
      [contentType, body],
    ) => ({
      contentType,
      body,
    })),
    fc.tuple(fc.constantFrom(...MEDIA_TYPES), fc.uint8Array({ maxLength: 64 })).map((
      [contentType, bytes],
    ) => ({
      contentType,
      body: new Uint8Array(bytes),
    })),
  );

// ---------------------------------------------------------------------------------------------
// The service under test.

interface Registry {
  readonly server: RunningServer;
  readonly database: Database;
  readonly componentId: string;
  readonly propertyId: string;
}

async function startRegistry(
  options: Parameters<typeof createRegistryService>[0],
): Promise<Registry> {
  const router = await createRegistryService(options);
  const server = serve(router.fetch, {
    port: 0,
    handleSignals: false,
    onShutdown: () => options.database.close(),
  });
  const component = parseObject(
    {
      type: ComponentType.name,
      name: "seed",
      base_url: "http://127.0.0.1:9",
      resources: [{ type: ResourceType.name, resource_type_name: "x.Y", base_path: "ys" }],
    },
    ComponentType,
    { registry: REGISTRY_TYPES },
  );
  component.owner = "alice";
  const property = parseObject(
    { type: PropertyType.name, name: "seed", value: "1" },
    PropertyType,
    {
      registry: REGISTRY_TYPES,
    },
  );
  property.owner = "alice";

  return {
    server,
    database: options.database,
    componentId: await options.database.insert("components", component),
    propertyId: await options.database.insert("properties", property),
  };
}

/** Returns every stored object as text, to compare the store before and after a request. */
async function snapshot(database: Database): Promise<string> {
  const admin = new AdminPermissionContext();
  const components = await Array.fromAsync(database.getAll("components", admin));
  const properties = await Array.fromAsync(database.getAll("properties", admin));

  return JSON.stringify({ components, properties });
}

/**
 * Sends a request, then checks the rules every response obeys: below 500, a 400 that starts with
 * "Invalid" (and so names the field or parameter), and an unchanged store unless it succeeded.
 */
async function checkRequest(
  registry: Registry,
  send: () => Promise<number | null>,
): Promise<number | null> {
  const before = await snapshot(registry.database);
  const status = await send();

  assert.ok(status === null || status < 500, `the service answered ${status}`);
  if (status === null || status >= 400) {
    assert.equal(
      await snapshot(registry.database),
      before,
      `a rejected request (${status}) changed the store`,
    );
  }

  return status;
}

async function fetchStatus(url: string, init: RequestInit): Promise<number> {
  const response = await fetch(url, init);
  const text = await response.text();
  if (response.status === 400) {
    assert.match(text, /^Invalid /, `a 400 without the field: ${text}`);
  }

  return response.status;
}

/**
 * Sends a raw HTTP/1.1 request, so the request target reaches the server exactly as generated.
 * Returns the status, or `null` when the server closed or reset the connection without a response,
 * as Deno's HTTP server does for some malformed request lines.
 */
async function rawStatus(port: number, method: string, target: string): Promise<number | null> {
  const connection = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    const head = `${method} ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nOIDC_CLAIM_sub: alice\r\n` +
      `Accept: application/json\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`;
    await connection.write(new TextEncoder().encode(head));

    const chunks: Uint8Array[] = [];
    const buffer = new Uint8Array(16 * 1024);
    while (true) {
      const read = await connection.read(buffer);
      if (read === null) {
        break;
      }
      chunks.push(buffer.slice(0, read));
    }
    const text = new TextDecoder().decode(new Uint8Array(chunks.flatMap((chunk) => [...chunk])));
    const match = /^HTTP\/1\.1 (\d{3})/.exec(text);

    return match ? Number(match[1]) : null;
  } catch (error) {
    if (error instanceof Deno.errors.ConnectionReset || error instanceof Deno.errors.BrokenPipe) {
      return null;
    }
    throw error;
  } finally {
    connection.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Direct properties: each parser throws only its documented error, and nothing pollutes prototypes.

function assertPrototypesClean(): void {
  const probe: Record<string, unknown> = {};
  for (const name of [...ATTRIBUTE_NAMES, "x", "polluted"]) {
    assert.equal(probe[name], undefined, `Object.prototype.${name} was set`);
  }
  assert.deepEqual(Object.keys(Object.prototype), []);
}

Deno.test("parseRequestBody throws only invalid-input errors", async () => {
  await fc.assert(
    fc.asyncProperty(bodyArbitrary, async ({ contentType, body }) => {
      const request = new Request("http://localhost/", {
        method: "POST",
        headers: contentType ? { "content-type": contentType } : {},
        body,
      });
      try {
        const parsed = await parseRequestBody(request, { maxBytes: 4096, maxDepth: 8 });
        assert.equal(typeof parsed, "object");
      } catch (error) {
        assert.ok(
          error instanceof InvalidObjectError || error instanceof BodyTooLargeError,
          String(error),
        );
      }
    }),
    runOptions(DIRECT_RUNS),
  );

  assertPrototypesClean();
});

Deno.test("templateToObject throws only InvalidObjectError", () => {
  fc.assert(
    fc.property(templateArbitrary, (template) => {
      try {
        const object = templateToObject(template);
        for (const key of POLLUTION_KEYS) {
          assert.ok(!Object.hasOwn(object, key), `the result has an own ${key}`);
        }
        assert.equal(Object.getPrototypeOf(object), Object.prototype);
      } catch (error) {
        assert.ok(error instanceof InvalidObjectError, String(error));
      }
    }),
    runOptions(DIRECT_RUNS),
  );

  assertPrototypesClean();
});

Deno.test("parseObject throws only InvalidObjectError", () => {
  fc.assert(
    fc.property(
      objectInputArbitrary,
      fc.constantFrom(ComponentType, PropertyType),
      (input, type) => {
        try {
          const object = parseObject(input, type, { registry: REGISTRY_TYPES });
          assert.equal(object.type, type.name);
          for (const key of POLLUTION_KEYS) {
            assert.ok(!Object.hasOwn(object, key), `the result has an own ${key}`);
          }
        } catch (error) {
          assert.ok(error instanceof InvalidObjectError, String(error));
          assert.match(error.message, /^Invalid field \S+: /);
        }
      },
    ),
    runOptions(DIRECT_RUNS),
  );

  assertPrototypesClean();
});

const QUERY_NAMES = ["sort", "sort_attr", "begin", "end", "filter", "return_attr", "x"];
const QUERY_VALUES = [
  "asc",
  "desc",
  "DESC",
  "display_name",
  "name",
  "owner.x",
  "0",
  "10",
  "-1",
  "1e3",
  "__proto__",
  "resources.constructor",
];
const queryArbitrary = fc
  .array(
    fc.tuple(
      fc.oneof(fc.constantFrom(...QUERY_NAMES), fc.string({ maxLength: 6 })),
      fc.oneof(
        fc.constantFrom(...QUERY_VALUES),
        fc.string({ maxLength: 20 }),
        fc.nat().map(String),
      ),
    ),
    { maxLength: 6 },
  )
  .map((pairs) => new URLSearchParams(pairs));

Deno.test("parseSort and parsePage throw only 400s", () => {
  fc.assert(
    fc.property(queryArbitrary, (params) => {
      for (const parse of [parseSort, parsePage]) {
        try {
          parse(params);
        } catch (error) {
          assert.ok(error instanceof HttpError, String(error));
          assert.equal(error.status, 400);
          assert.match(error.message, /^Invalid query/);
        }
      }
      try {
        for (const key of parseSort(params)) {
          assert.match(key.attribute, /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/);
          assert.ok(
            key.attribute.split(".").every((segment) => !POLLUTION_KEYS.includes(segment)),
            key.attribute,
          );
        }
        const page = parsePage(params);
        assert.ok(Number.isSafeInteger(page.begin));
        assert.ok(page.begin >= 0);
        assert.ok(page.end === undefined || page.end >= page.begin);
      } catch (error) {
        assert.ok(error instanceof HttpError);
      }
    }),
    runOptions(DIRECT_RUNS),
  );
});

// ---------------------------------------------------------------------------------------------
// Properties through the running service.

Deno.test("registry survives fuzzed bodies", async () => {
  const registry = await startRegistry({
    database: new SqliteDatabase(),
    limits: { maxBodyBytes: 8 * 1024, maxJsonDepth: 8 },
  });
  try {
    const targets = [
      ["POST", `${registry.server.url}/components`],
      ["POST", `${registry.server.url}/properties/`],
      ["PUT", `${registry.server.url}/components/${registry.componentId}`],
      ["PUT", `${registry.server.url}/properties/${registry.propertyId}`],
    ] as const;

    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...targets),
        bodyArbitrary,
        async ([method, url], { contentType, body }) => {
          const status = await checkRequest(registry, () =>
            fetchStatus(url, {
              method,
              headers: {
                OIDC_CLAIM_sub: "alice",
                ...(contentType ? { "content-type": contentType } : {}),
              },
              body,
            }));
          // A PUT replaces the whole object, so a body without owner gives the object to
          // system|none, and later PUTs of alice's get 404.
          assert.ok(
            [201, 204, 400, 403, 404, 409, 413].includes(status ?? 0),
            `unexpected status ${status}`,
          );
        },
      ),
      runOptions(),
    );

    assertPrototypesClean();
  } finally {
    await registry.server.shutdown();
  }
});

Deno.test("registry survives fuzzed queries", async () => {
  const registry = await startRegistry({ database: new SqliteDatabase() });
  try {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("components", "properties"),
        queryArbitrary,
        async (collection, params) => {
          const status = await checkRequest(
            registry,
            () =>
              fetchStatus(`${registry.server.url}/${collection}?${params}`, {
                headers: { OIDC_CLAIM_sub: "alice", accept: "application/json" },
              }),
          );
          assert.ok(status === 200 || status === 400, `unexpected status ${status}`);
        },
      ),
      runOptions(),
    );
  } finally {
    await registry.server.shutdown();
  }
});

const PATH_TOKENS = [
  "/",
  "/",
  "components",
  "properties",
  "byname",
  "bytype",
  "opener",
  "duplicator",
  "componentsping",
  ".",
  "..",
  "%",
  "%2e",
  "%2F",
  "%00",
  "%zz",
  "%E0%A4%A",
  "?",
  "#",
  "&",
  "=",
  "+",
  ";",
  "@",
  "\\",
  " ",
  "\t",
  "é",
  "日本",
  "~",
  "*",
  "[",
  "]",
  "{",
  "}",
  "|",
  '"',
  "'",
  "<",
  ">",
  "sort=asc",
  "begin=-1",
  "6650f0c2a3b4c5d6e7f80912",
  "x".repeat(300),
];

Deno.test("registry survives fuzzed URL paths", async () => {
  const registry = await startRegistry({ database: new SqliteDatabase() });
  try {
    const tokens = [...PATH_TOKENS, registry.componentId, registry.propertyId];
    const pathArbitrary = fc.array(fc.constantFrom(...tokens), { minLength: 1, maxLength: 8 }).map((
      parts,
    ) => `/${parts.join("")}`);
    const methodArbitrary = fc.constantFrom(
      "GET",
      "HEAD",
      "OPTIONS",
      "PUT",
      "POST",
      "DELETE",
      "PATCH",
      "TRACE",
    );

    await fc.assert(
      fc.asyncProperty(methodArbitrary, pathArbitrary, async (method, path) => {
        await checkRequest(registry, () => rawStatus(registry.server.port, method, path));
      }),
      runOptions(),
    );

    const alive = await fetch(`${registry.server.url}/componentsping`);
    assert.equal(await alive.text(), "OK");
  } finally {
    await registry.server.shutdown();
  }
});

Deno.test("registry in jwt mode survives fuzzed credentials and headers", async () => {
  await using issuer = await startOidcIssuer();
  const registry = await startRegistry({
    database: new SqliteDatabase(),
    authenticate: jwtAuthenticator({
      jwksUrl: issuer.jwksUrl,
      issuer: issuer.issuer,
      audience: issuer.audience,
      algorithms: ["RS256", "ES256"],
      required: false,
    }),
  });
  try {
    const valid = await issuer.mint({ sub: "alice" });
    const [header, payload] = valid.split(".") as [string, string];
    const base64url = fc.string({
      unit: fc.constantFrom(..."ABCxyz019-_".split("")),
      maxLength: 40,
    });
    const tokenArbitrary = fc.oneof(
      fc.string({ maxLength: 60 }),
      fc.tuple(base64url, base64url, base64url).map((parts) => parts.join(".")),
      base64url.map((signature) => `${header}.${payload}.${signature}`),
      fc.constant(valid),
    );
    // fetch refuses control characters in header values, so only the characters it sends remain.
    const headerValue = fc.string({ unit: "binary-ascii", maxLength: 40 }).filter((value) =>
      /^[\t\x20-\x7e]*$/.test(value)
    );
    const headersArbitrary = fc.record({
      authorization: fc.oneof(tokenArbitrary.map((token) => `Bearer ${token}`), headerValue),
      accept: fc.oneof(
        fc.constantFrom("application/json", "application/vnd.collection+json", "*/*"),
        headerValue,
      ),
      OIDC_CLAIM_sub: fc.oneof(fc.constant("alice"), headerValue),
      "x-forwarded-host": headerValue,
      "x-forwarded-prefix": headerValue,
      "x-request-id": headerValue,
    }, { requiredKeys: [] });
    const queryToken = fc.option(tokenArbitrary, { nil: undefined });

    await fc.assert(
      fc.asyncProperty(
        headersArbitrary,
        queryToken,
        fc.constantFrom("GET", "DELETE"),
        async (headers, token, method) => {
          const query = token === undefined ? "" : `?access_token=${encodeURIComponent(token)}`;
          const target = method === "GET" ? "components" : `components/${registry.componentId}`;
          const status = await checkRequest(registry, async () => {
            const response = await fetch(`${registry.server.url}/${target}${query}`, {
              method,
              headers,
            });
            const text = await response.text();
            for (const candidate of [token, headers.authorization?.slice(7)]) {
              if (candidate && candidate.length > 8 && response.status >= 400) {
                assert.ok(!text.includes(candidate), "an error body echoes the token");
              }
            }
            return response.status;
          });
          assert.notEqual(status, null);
          assert.ok((status ?? 0) < 500, `unexpected status ${status}`);
        },
      ),
      runOptions(),
    );
  } finally {
    await registry.server.shutdown();
  }
});
