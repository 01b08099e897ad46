/**
 * Authentication and authorization of the registry example, served on loopback: the permission
 * matrix of every verb in gateway and direct (JWT) mode, attacks on both, and the flags that choose
 * the mode.
 */

import assert from "node:assert/strict";
import {
  AdminPermissionContext,
  claimGroups,
  ComponentType,
  type DesktopObject,
  type GroupResolver,
  jwtAuthenticator,
  parseObject,
  peopleServiceGroups,
  type RunningServer,
  serve,
  SqliteDatabase,
} from "../../mod.ts";
import { type OidcIssuer, startOidcIssuer } from "../../testing/oidc_issuer.ts";
import { loadRegistryAuth } from "./auth_config.ts";
import { createRegistryService, REGISTRY_TYPES } from "./service.ts";

/** The groups of each user, as the people service and the tokens report them. */
const GROUPS: Readonly<Record<string, readonly string[]>> = {
  dave: ["/research"],
  root: ["/*super-admin"],
  eve: ["/other"],
};

type Verb =
  | "getOne"
  | "getAll"
  | "getByName"
  | "post"
  | "postForAlice"
  | "put"
  | "delete"
  | "opener";

/** A caller, the object it acts on, and the status of each verb (for getAll: whether listed). */
interface Row {
  readonly name: string;
  readonly user: string | null;
  readonly object: "private" | "public";
  readonly expect: Readonly<Record<Verb, number | boolean>>;
}

const DENIED = { getOne: 404, getAll: false, getByName: 404, put: 404, delete: 404, opener: 404 };

/**
 * The matrix: alice owns every object; bob may view it, carol may edit it, the group /research may
 * view and delete it, super admins get the components' defaults (view and edit), and the public
 * object is also shared with system|all for viewing.
 */
const ROWS: readonly Row[] = [
  {
    name: "owner",
    user: "alice",
    object: "private",
    expect: {
      getOne: 200,
      getAll: true,
      getByName: 200,
      post: 201,
      postForAlice: 201,
      put: 204,
      delete: 204,
      opener: 300,
    },
  },
  {
    name: "viewer",
    user: "bob",
    object: "private",
    expect: {
      getOne: 200,
      getAll: true,
      getByName: 200,
      post: 201,
      postForAlice: 403,
      put: 403,
      delete: 403,
      opener: 300,
    },
  },
  {
    name: "editor",
    user: "carol",
    object: "private",
    expect: {
      getOne: 200,
      getAll: true,
      getByName: 200,
      post: 201,
      postForAlice: 403,
      put: 204,
      delete: 403,
      opener: 300,
    },
  },
  {
    name: "group member",
    user: "dave",
    object: "private",
    expect: {
      getOne: 200,
      getAll: true,
      getByName: 200,
      post: 201,
      postForAlice: 403,
      put: 403,
      delete: 204,
      opener: 300,
    },
  },
  {
    name: "stranger",
    user: "eve",
    object: "private",
    expect: { ...DENIED, post: 201, postForAlice: 403 },
  },
  {
    name: "super admin",
    user: "root",
    object: "private",
    expect: {
      getOne: 200,
      getAll: true,
      getByName: 200,
      post: 201,
      postForAlice: 403,
      put: 204,
      delete: 403,
      opener: 300,
    },
  },
  {
    name: "system|all share",
    user: "eve",
    object: "public",
    expect: {
      getOne: 200,
      getAll: true,
      getByName: 200,
      post: 201,
      postForAlice: 403,
      put: 403,
      delete: 403,
      opener: 300,
    },
  },
];

const VERBS: readonly Verb[] = [
  "getOne",
  "getAll",
  "getByName",
  "post",
  "postForAlice",
  "put",
  "delete",
  "opener",
];

/** One way of telling the service who calls: headers from the gateway, or a bearer token. */
interface Mode {
  readonly name: string;
  readonly headersFor: (user: string | null) => Promise<Record<string, string>>;
  readonly anonymous: Row;
}

interface Harness {
  readonly url: string;
  readonly database: SqliteDatabase;
  readonly mode: Mode;
}

function share(user: string, permissions: string[]): Record<string, unknown> {
  return { type: "heaobject.root.ShareImpl", user, basis: "USER", permissions };
}

function groupShare(group: string, permissions: string[]): Record<string, unknown> {
  return { type: "heaobject.root.ShareImpl", group, basis: "GROUP", permissions };
}

let counter = 0;

/** Stores a component owned by alice with the matrix's shares and returns it. */
async function seedComponent(
  database: SqliteDatabase,
  variant: "private" | "public",
): Promise<DesktopObject> {
  const name = `component-${++counter}`;
  const userShares = [share("bob", ["VIEWER"]), share("carol", ["VIEWER", "EDITOR"])];
  if (variant === "public") {
    userShares.push(share("system|all", ["VIEWER"]));
  }
  const object = parseObject(
    {
      type: ComponentType.name,
      name,
      display_name: name,
      base_url: "http://127.0.0.1:9/base",
      external_base_url: "http://127.0.0.1:9/external",
      user_shares: userShares,
      group_shares: [groupShare("/research", ["VIEWER", "DELETER"])],
    },
    ComponentType,
    { registry: REGISTRY_TYPES },
  );
  object.owner = "alice";
  const id = await database.insert("components", object);

  return await stored(database, id) as DesktopObject;
}

async function stored(database: SqliteDatabase, id: string): Promise<DesktopObject | null> {
  return await database.get("components", id, new AdminPermissionContext());
}

/** Sends one verb and returns its status, or for getAll whether the object was listed. */
async function perform(
  harness: Harness,
  verb: Verb,
  object: DesktopObject,
  headers: Record<string, string>,
): Promise<number | boolean> {
  const base = `${harness.url}/components`;
  const json = { ...headers, accept: "application/json" };
  const send = async (url: string, init: RequestInit = {}): Promise<Response> => {
    const response = await fetch(url, { ...init, headers: { ...json, ...(init.headers ?? {}) } });
    return response;
  };
  const newComponent = (extra: Record<string, unknown> = {}) =>
    JSON.stringify({
      type: ComponentType.name,
      name: `created-${++counter}`,
      base_url: "http://127.0.0.1:9/new",
      ...extra,
    });

  let response: Response;
  switch (verb) {
    case "getOne":
      response = await send(`${base}/${object.id}`);
      break;
    case "getAll": {
      response = await send(base);
      if (response.status !== 200) {
        await response.body?.cancel();
        return response.status;
      }
      const listed = await response.json() as DesktopObject[];
      return listed.some((item) => item.id === object.id);
    }
    case "getByName":
      response = await send(`${base}/byname/${object.name}`);
      break;
    case "post":
      response = await send(base, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: newComponent(),
      });
      break;
    case "postForAlice":
      response = await send(base, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: newComponent({ owner: "alice" }),
      });
      break;
    case "put":
      response = await send(`${base}/${object.id}`, {
        method: "PUT",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ ...object, display_name: "changed" }),
      });
      break;
    case "delete":
      response = await send(`${base}/${object.id}`, { method: "DELETE" });
      break;
    case "opener":
      response = await send(`${base}/${object.id}/opener`);
      break;
  }
  await response.body?.cancel();

  return response.status;
}

/** Checks that the store reflects the verb's outcome: changed on success, untouched otherwise. */
async function checkEffect(
  harness: Harness,
  verb: Verb,
  before: DesktopObject,
  outcome: number | boolean,
  label: string,
): Promise<void> {
  const after = await stored(harness.database, before.id as string);
  if (verb === "put" && outcome === 204) {
    assert.equal(after?.display_name, "changed", `${label}: the change was not stored`);
  } else if (verb === "delete" && outcome === 204) {
    assert.equal(after, null, `${label}: the object was not deleted`);
  } else {
    assert.deepEqual(after, before, `${label}: the stored object changed`);
  }
}

async function runMatrix(harness: Harness, t: Deno.TestContext): Promise<void> {
  for (const verb of VERBS) {
    await t.step(verb, async () => {
      for (const row of [...ROWS, harness.mode.anonymous]) {
        const object = await seedComponent(harness.database, row.object);
        const headers = await harness.mode.headersFor(row.user);
        const label = `${harness.mode.name} mode, ${row.name}, ${verb}`;

        const outcome = await perform(harness, verb, object, headers);

        assert.equal(outcome, row.expect[verb], label);
        await checkEffect(harness, verb, object, outcome, label);
      }
    });
  }
}

/** A fake people service on loopback that returns {@linkcode GROUPS}. */
function startPeopleService(): RunningServer {
  return serve((request) => {
    const sub = decodeURIComponent(new URL(request.url).pathname.split("/")[2] ?? "");
    return Response.json(
      (GROUPS[sub] ?? []).map((group) => ({ type: "heaobject.person.Group", group })),
    );
  }, { port: 0, handleSignals: false });
}

async function startRegistry(
  options: { authenticate?: ReturnType<typeof jwtAuthenticator>; groups: GroupResolver },
): Promise<{ server: RunningServer; database: SqliteDatabase }> {
  const database = new SqliteDatabase();
  const router = await createRegistryService({ database, ...options });
  const server = serve(router.fetch, {
    port: 0,
    handleSignals: false,
    onShutdown: () => database.close(),
  });

  return { server, database };
}

function issuerAuthenticator(issuer: OidcIssuer, required = true) {
  return jwtAuthenticator({
    jwksUrl: issuer.jwksUrl,
    issuer: issuer.issuer,
    audience: issuer.audience,
    algorithms: ["RS256", "ES256"],
    required,
  });
}

const GATEWAY_ANONYMOUS: Row = {
  name: "anonymous",
  user: null,
  object: "private",
  expect: { ...DENIED, post: 201, postForAlice: 403 },
};

const JWT_ANONYMOUS: Row = {
  name: "anonymous",
  user: null,
  object: "private",
  expect: {
    getOne: 401,
    getAll: 401,
    getByName: 401,
    post: 401,
    postForAlice: 401,
    put: 401,
    delete: 401,
    opener: 401,
  },
};

Deno.test("gateway mode permission matrix", async (t) => {
  const people = startPeopleService();
  const { server, database } = await startRegistry({
    groups: peopleServiceGroups({ peopleUrl: people.url }),
  });
  try {
    const mode: Mode = {
      name: "gateway",
      headersFor: (user) => Promise.resolve(user === null ? {} : { OIDC_CLAIM_sub: user }),
      anonymous: GATEWAY_ANONYMOUS,
    };

    await runMatrix({ url: server.url, database, mode }, t);
  } finally {
    await server.shutdown();
    await people.shutdown();
  }
});

Deno.test("jwt mode permission matrix", async (t) => {
  await using issuer = await startOidcIssuer();
  const { server, database } = await startRegistry({
    authenticate: issuerAuthenticator(issuer),
    groups: claimGroups("groups"),
  });
  try {
    const mode: Mode = {
      name: "jwt",
      headersFor: async (user) =>
        user === null ? {} : {
          authorization: `Bearer ${await issuer.mint({ sub: user, groups: GROUPS[user] ?? [] })}`,
        },
      anonymous: JWT_ANONYMOUS,
    };

    await runMatrix({ url: server.url, database, mode }, t);
  } finally {
    await server.shutdown();
  }
});

Deno.test("jwt mode with groups from the people service", async () => {
  await using issuer = await startOidcIssuer();
  const people = startPeopleService();
  const { server, database } = await startRegistry({
    authenticate: issuerAuthenticator(issuer),
    groups: peopleServiceGroups({ peopleUrl: people.url }),
  });
  try {
    const object = await seedComponent(database, "private");
    const token = await issuer.mint({ sub: "root" });

    const response = await fetch(`${server.url}/components/${object.id}`, {
      method: "PUT",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ ...object, display_name: "changed" }),
    });
    await response.body?.cancel();

    assert.equal(response.status, 204);
    assert.equal((await stored(database, object.id as string))?.display_name, "changed");
  } finally {
    await server.shutdown();
    await people.shutdown();
  }
});

Deno.test("jwt mode rejects forged tokens and spoofed headers", async () => {
  await using issuer = await startOidcIssuer();
  const { server, database } = await startRegistry({
    authenticate: issuerAuthenticator(issuer, false),
    groups: claimGroups("groups"),
  });
  try {
    const object = await seedComponent(database, "private");
    const rsa = issuer.keys.find((key) => key.alg === "RS256")?.kid ?? "";
    const now = Math.floor(Date.now() / 1000);
    const forged: Record<string, string> = {
      "alg none": await issuer.mint({ sub: "alice" }, { alg: "none" }),
      "HS256 with the public key": await issuer.mint({ sub: "alice" }, { alg: "HS256", key: rsa }),
      "expired": await issuer.mint({ sub: "alice" }, { exp: now - 600, iat: now - 900 }),
      "not yet valid": await issuer.mint({ sub: "alice" }, { nbf: now + 600 }),
      "another issuer": await issuer.mint({ sub: "alice" }, { iss: "http://127.0.0.1:1" }),
      "another audience": await issuer.mint({ sub: "alice" }, { aud: "another-service" }),
      "unknown kid": await issuer.mint({ sub: "alice" }, { kid: "unknown" }),
    };
    const url = `${server.url}/components/${object.id}`;

    for (const [name, token] of Object.entries(forged)) {
      const response = await fetch(url, {
        method: "DELETE",
        headers: { authorization: `Bearer ${token}` },
      });
      const body = await response.text();

      assert.equal(response.status, 401, name);
      assert.match(response.headers.get("www-authenticate") ?? "", /error="invalid_token"/, name);
      assert.ok(!body.includes(token), `${name}: the body echoes the token`);
    }

    const spoofedAnonymous = await fetch(url, {
      method: "DELETE",
      headers: { OIDC_CLAIM_sub: "alice" },
    });
    const spoofedStranger = await fetch(url, {
      method: "DELETE",
      headers: {
        authorization: `Bearer ${await issuer.mint({ sub: "eve" })}`,
        OIDC_CLAIM_sub: "alice",
        OIDC_CLAIM_groups: "/*super-admin,/research",
      },
    });
    await spoofedAnonymous.body?.cancel();
    await spoofedStranger.body?.cancel();

    assert.equal(spoofedAnonymous.status, 404);
    assert.equal(spoofedStranger.status, 404);
    assert.deepEqual(await stored(database, object.id as string), object);
  } finally {
    await server.shutdown();
  }
});

Deno.test("registry rejects oversized, deep and polluting bodies", async () => {
  const people = startPeopleService();
  const database = new SqliteDatabase();
  const router = await createRegistryService({
    database,
    groups: peopleServiceGroups({ peopleUrl: people.url }),
    limits: { maxBodyBytes: 64 * 1024, maxJsonDepth: 16 },
  });
  const server = serve(router.fetch, {
    port: 0,
    handleSignals: false,
    onShutdown: () => database.close(),
  });
  try {
    const object = await seedComponent(database, "private");
    const alice = { OIDC_CLAIM_sub: "alice" };
    const component = { type: ComponentType.name, name: "x", base_url: "http://127.0.0.1:9" };
    const deep = `${"[".repeat(40)}${"]".repeat(40)}`;
    const cases: [string, string, Record<string, string>, BodyInit, number, RegExp][] = [
      [
        "oversized",
        "application/json",
        {},
        JSON.stringify({ ...component, description: "a".repeat(70 * 1024) }),
        413,
        /larger than 65536 bytes/,
      ],
      [
        "deep JSON",
        "application/json",
        {},
        `{"type":"${ComponentType.name}","resources":${deep}}`,
        400,
        /nested more than 16/,
      ],
      [
        "__proto__ in JSON",
        "application/json",
        {},
        `{"type":"${ComponentType.name}","__proto__":{"owner":"eve"}}`,
        400,
        /__proto__/,
      ],
      [
        "constructor in a member",
        "application/json",
        {},
        JSON.stringify({
          ...component,
          resources: [{ type: "heaobject.registry.Resource", constructor: { x: 1 } }],
        }),
        400,
        /resources\[0\]\.constructor/,
      ],
      [
        "prototype in a template",
        "application/vnd.collection+json",
        {},
        JSON.stringify({
          template: {
            data: [{ name: "type", value: ComponentType.name }, { name: "prototype", value: "x" }],
          },
        }),
        400,
        /template\.data\[1\]\.name/,
      ],
      [
        "__proto__ as a template section",
        "application/vnd.collection+json",
        {},
        JSON.stringify({
          template: { data: [{ section: "__proto__", name: "owner", value: "eve" }] },
        }),
        400,
        /section/,
      ],
      [
        "constructor in a form",
        "application/x-www-form-urlencoded",
        {},
        `type=${ComponentType.name}&constructor=x`,
        400,
        /constructor/,
      ],
      [
        "wrong-typed value",
        "application/json",
        {},
        JSON.stringify({ ...component, base_url: 42 }),
        400,
        /base_url: must be a string/,
      ],
    ];

    for (const method of ["POST", "PUT"] as const) {
      const url = method === "POST"
        ? `${server.url}/components`
        : `${server.url}/components/${object.id}`;
      for (const [name, contentType, extra, body, status, message] of cases) {
        const response = await fetch(url, {
          method,
          headers: { ...alice, "content-type": contentType, ...extra },
          body,
        });
        const text = await response.text();

        assert.equal(response.status, status, `${method} ${name}`);
        assert.match(text, message, `${method} ${name}`);
      }
    }

    const all = await Array.fromAsync(database.getAll("components", new AdminPermissionContext()));
    assert.equal(all.length, 1);
    assert.deepEqual(all[0], object);
    assert.equal(({} as Record<string, unknown>).owner, undefined, "Object.prototype was polluted");
  } finally {
    await server.shutdown();
    await people.shutdown();
  }
});

Deno.test("registry hides secrets in error bodies", async () => {
  await using issuer = await startOidcIssuer();
  const { server } = await startRegistry({
    authenticate: issuerAuthenticator(issuer),
    groups: claimGroups(),
  });
  try {
    const token = await issuer.mint({ sub: "alice" });
    const malformed = await fetch(`${server.url}/components`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: '{"type": "heaobject.registry.Component", "password": hunter2-secret}',
    });
    const viaQuery = await fetch(`${server.url}/components?access_token=${token}&sort=up`, {
      headers: { accept: "application/json" },
    });

    const malformedText = await malformed.text();
    const viaQueryText = await viaQuery.text();

    assert.equal(malformed.status, 400);
    assert.ok(!malformedText.includes("hunter2"), malformedText);
    assert.equal(viaQuery.status, 400);
    assert.ok(!viaQueryText.includes(token));
  } finally {
    await server.shutdown();
  }
});

Deno.test("registry links never carry the access_token", async () => {
  await using issuer = await startOidcIssuer();
  const { server, database } = await startRegistry({
    authenticate: issuerAuthenticator(issuer),
    groups: claimGroups(),
  });
  try {
    await seedComponent(database, "public");
    const token = await issuer.mint({ sub: "eve" });

    const response = await fetch(`${server.url}/components/?access_token=${token}`, {
      headers: { accept: "application/vnd.collection+json" },
    });
    const text = await response.text();

    assert.equal(response.status, 200);
    assert.ok(text.includes("component-"), "the listing is empty");
    assert.ok(!text.includes(token), "the document echoes the token");
  } finally {
    await server.shutdown();
  }
});

Deno.test("loadRegistryAuth reads flags, variables and files", async () => {
  await using issuer = await startOidcIssuer();
  const path = await Deno.makeTempFile();
  try {
    await Deno.writeTextFile(path, `${issuer.issuer}\n`);
    const variables: Record<string, string> = {
      HEA_AUTH_MODE: "jwt",
      HEA_OIDC_JWKS_URL: issuer.jwksUrl,
      HEA_OIDC_ISSUER_FILE: path,
      HEA_OIDC_AUDIENCE: `other,${issuer.audience}`,
      HEA_GROUPS_CLAIM: "groups",
    };
    const auth = await loadRegistryAuth({}, { env: (name) => variables[name] });
    assert.ok(auth.authenticate);
    assert.ok(auth.groups);

    const caller = await auth.authenticate(
      new Request("http://localhost/", {
        headers: {
          authorization: `Bearer ${await issuer.mint({ sub: "root", groups: ["/*super-admin"] })}`,
        },
      }),
    );

    assert.equal(caller.sub, "root");
    assert.deepEqual(await auth.groups(caller, new Request("http://localhost/")), [
      "/*super-admin",
    ]);
    assert.equal(auth.summary, `jwt (issuer ${issuer.issuer}); groups from the groups claim`);
  } finally {
    await Deno.remove(path);
  }
});

Deno.test("loadRegistryAuth explains invalid settings", async () => {
  const none = { env: () => undefined };
  const cases: [Parameters<typeof loadRegistryAuth>[0], RegExp][] = [
    [{ auth: "basic" }, /Invalid --auth "basic"/],
    [{ auth: "jwt" }, /--auth jwt needs --issuer or HEA_OIDC_ISSUER/],
    [{ auth: "jwt", issuer: "http://127.0.0.1:1" }, /needs --jwks-url or HEA_OIDC_JWKS_URL/],
    [
      { auth: "jwt", issuer: "http://127.0.0.1:1", "jwks-url": "http://127.0.0.1:1/jwks" },
      /needs --audience/,
    ],
    [
      {
        auth: "jwt",
        issuer: "i",
        "jwks-url": "http://127.0.0.1:1/jwks",
        audience: "a",
        algorithms: "HS256",
      },
      /"HS256" is not accepted/,
    ],
    [{ "people-url": "http://127.0.0.1:1", "groups-claim": "groups" }, /not both/],
  ];

  for (const [flags, message] of cases) {
    await assert.rejects(loadRegistryAuth(flags, none), message);
  }
  assert.equal((await loadRegistryAuth({}, none)).summary, "gateway; no groups");
});

Deno.test("main.ts serves in jwt mode from flags and variables", async () => {
  await using issuer = await startOidcIssuer();
  const root = new URL("../../", import.meta.url);
  const issuerFile = await Deno.makeTempFile();
  await Deno.writeTextFile(issuerFile, issuer.issuer);
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-net=127.0.0.1",
      "--allow-read",
      "--allow-write",
      "--allow-env",
      "--allow-sys",
      "examples/registry/main.ts",
      "--port",
      "0",
      "--database",
      ":memory:",
      "--auth",
      "jwt",
      "--jwks-url",
      issuer.jwksUrl,
      "--groups-claim",
      "groups",
    ],
    cwd: root,
    clearEnv: true,
    env: {
      PATH: Deno.env.get("PATH") ?? "",
      HOME: Deno.env.get("HOME") ?? "",
      ...(Deno.env.get("DENO_DIR") ? { DENO_DIR: Deno.env.get("DENO_DIR") as string } : {}),
      HEA_OIDC_ISSUER_FILE: issuerFile,
      HEA_OIDC_AUDIENCE: issuer.audience,
      NO_COLOR: "1",
    },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const output = readLines(child.stdout);
  const errors = readLines(child.stderr);
  try {
    const url = await waitForUrl(output, 20_000);

    const anonymous = await fetch(`${url}/components`, {
      headers: { OIDC_CLAIM_sub: "system|none" },
    });
    const withToken = await fetch(`${url}/components`, {
      headers: {
        accept: "application/json",
        authorization: `Bearer ${await issuer.mint({ sub: "eve" })}`,
      },
    });
    await anonymous.body?.cancel();
    const listed = await withToken.json() as DesktopObject[];

    assert.equal(anonymous.status, 401);
    assert.equal(withToken.status, 200);
    assert.ok(listed.length >= 1, "the sample components, shared with everyone, are missing");
    assert.ok(
      output.lines.some((line) => /Authentication: "?jwt/.test(line)),
      output.lines.join("\n"),
    );
  } finally {
    child.kill("SIGTERM");
    const status = await child.status;
    await Promise.all([output.done, errors.done]);
    await Deno.remove(issuerFile);
    assert.equal(status.code, 0, errors.lines.join("\n"));
  }
});

Deno.test("main.ts exits with usage on invalid auth settings", async () => {
  const root = new URL("../../", import.meta.url);
  const result = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-net=127.0.0.1",
      "--allow-read",
      "--allow-write",
      "--allow-env",
      "--allow-sys",
      "examples/registry/main.ts",
      "--port",
      "0",
      "--database",
      ":memory:",
      "--auth",
      "jwt",
    ],
    cwd: root,
    clearEnv: true,
    env: {
      PATH: Deno.env.get("PATH") ?? "",
      HOME: Deno.env.get("HOME") ?? "",
      ...(Deno.env.get("DENO_DIR") ? { DENO_DIR: Deno.env.get("DENO_DIR") as string } : {}),
    },
  }).output();

  assert.equal(result.code, 2);
  assert.match(
    new TextDecoder().decode(result.stderr),
    /--auth jwt needs --issuer or HEA_OIDC_ISSUER/,
  );
});

interface LineReader {
  readonly lines: string[];
  readonly done: Promise<void>;
}

/** Collects a child process's output line by line while it runs. */
function readLines(stream: ReadableStream<Uint8Array>): LineReader {
  const lines: string[] = [];
  const done = (async () => {
    let pending = "";
    for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
      pending += chunk;
      const parts = pending.split("\n");
      pending = parts.pop() ?? "";
      lines.push(...parts);
    }
    if (pending) {
      lines.push(pending);
    }
  })();

  return { lines, done };
}

async function waitForUrl(reader: LineReader, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const line of reader.lines) {
      const match = /Listening on .*?(http:\/\/127\.0\.0\.1:\d+)/.exec(line);
      if (match?.[1]) {
        return match[1];
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }

  throw new Error(
    `main.ts did not log its URL within ${timeoutMs} ms; output:\n${reader.lines.join("\n")}`,
  );
}
