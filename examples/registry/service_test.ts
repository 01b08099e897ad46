import assert from "node:assert/strict";
import { type Caller, type DesktopObject, parseObject, SqliteDatabase } from "../../mod.ts";
import { startTestServer, type TestServer } from "../../testing/mod.ts";
import { createRegistryService, REGISTRY_TYPES } from "./service.ts";
import { AdminPermissionContext, ComponentType } from "../../objects/mod.ts";

const CJ = "application/vnd.collection+json";
const GROUPS: Record<string, string[]> = {
  carol: ["/research"],
  sam: ["/*super-admin"],
};

interface Fixture {
  server: TestServer;
  database: SqliteDatabase;
  /** Owned by alice, shared with bob (viewer), erin (editor), dave (deleter) and /research (viewer). */
  sharedId: string;
  /** Owned by alice, viewable by everyone through a share to system|all. */
  publicId: string;
  /** Owned by alice and not shared. */
  privateId: string;
  [Symbol.asyncDispose](): Promise<void>;
}

async function startRegistry(): Promise<Fixture> {
  const database = new SqliteDatabase();
  const router = await createRegistryService({
    database,
    groups: (caller: Caller) => GROUPS[caller.sub] ?? [],
  });
  const sharedId = await insertComponent(database, "shared", [
    share("bob", ["VIEWER"]),
    share("erin", ["VIEWER", "EDITOR"]),
    share("dave", ["VIEWER", "DELETER"]),
  ], [groupShare("/research", ["VIEWER"])]);
  const publicId = await insertComponent(database, "public", [share("system|all", ["VIEWER"])]);
  const privateId = await insertComponent(database, "private", []);
  const server = startTestServer(router.fetch, { onShutdown: () => database.close() });

  return {
    server,
    database,
    sharedId,
    publicId,
    privateId,
    [Symbol.asyncDispose]: () => server.close(),
  };
}

function share(user: string, permissions: string[]): Record<string, unknown> {
  return { type: "heaobject.root.ShareImpl", user, permissions };
}

function groupShare(group: string, permissions: string[]): Record<string, unknown> {
  return { type: "heaobject.root.ShareImpl", group, basis: "GROUP", permissions };
}

async function insertComponent(
  database: SqliteDatabase,
  name: string,
  userShares: Record<string, unknown>[],
  groupShares: Record<string, unknown>[] = [],
): Promise<string> {
  const object = parseObject(
    {
      type: "heaobject.registry.Component",
      name,
      display_name: name,
      base_url: `http://${name}.internal:8080`,
      external_base_url: `http://${name}.example.org`,
      resources: [{
        type: "heaobject.registry.Resource",
        resource_type_name: `example.${name}.Thing`,
        base_path: name,
      }],
      user_shares: userShares,
      group_shares: groupShares,
    },
    ComponentType,
    { registry: REGISTRY_TYPES },
  );
  object.owner = "alice";

  return await database.insert("components", object as DesktopObject);
}

function headers(
  sub: string | undefined,
  extra: Record<string, string> = {},
): Record<string, string> {
  return { ...(sub ? { OIDC_CLAIM_sub: sub } : {}), ...extra };
}

async function send(
  server: TestServer,
  method: string,
  path: string,
  sub?: string,
  init: { body?: string; headers?: Record<string, string> } = {},
): Promise<Response> {
  return await fetch(`${server.url}${path}`, {
    method,
    headers: headers(sub, init.headers),
    ...(init.body === undefined ? {} : { body: init.body }),
  });
}

async function status(response: Response): Promise<number> {
  await response.body?.cancel();
  return response.status;
}

async function getJson(
  server: TestServer,
  path: string,
  sub?: string,
): Promise<Record<string, unknown>[]> {
  const response = await send(server, "GET", path, sub, {
    headers: { accept: "application/json" },
  });
  assert.equal(response.status, 200, `GET ${path} as ${sub}`);
  return await response.json();
}

function componentBody(name: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    type: "heaobject.registry.Component",
    name,
    display_name: name,
    base_url: "http://x.internal",
    resources: [],
    ...extra,
  });
}

const JSON_HEADERS = { "content-type": "application/json" };

// The permission matrix: every caller against every verb, on the shared object.
const MATRIX: {
  caller: string | undefined;
  get: number;
  put: number;
  del: number;
  opener: number;
}[] = [
  { caller: "alice", get: 200, put: 204, del: 204, opener: 300 },
  { caller: "bob", get: 200, put: 403, del: 403, opener: 300 },
  { caller: "erin", get: 200, put: 204, del: 403, opener: 300 },
  { caller: "dave", get: 200, put: 403, del: 204, opener: 300 },
  { caller: "carol", get: 200, put: 403, del: 403, opener: 300 },
  { caller: "sam", get: 200, put: 204, del: 403, opener: 300 },
  { caller: "mallory", get: 404, put: 404, del: 404, opener: 404 },
  { caller: undefined, get: 404, put: 404, del: 404, opener: 404 },
];

for (const row of MATRIX) {
  const who = row.caller ?? "anonymous";

  Deno.test(`permission matrix: ${who} on GET, byname, opener`, async () => {
    await using fixture = await startRegistry();
    const { server, sharedId } = fixture;

    assert.equal(
      await status(await send(server, "GET", `/components/${sharedId}`, row.caller)),
      row.get,
    );
    assert.equal(
      await status(await send(server, "GET", "/components/byname/shared", row.caller)),
      row.get,
    );
    assert.equal(
      await status(await send(server, "GET", `/components/${sharedId}/opener`, row.caller)),
      row.opener,
    );
  });

  Deno.test(`permission matrix: ${who} on GET all`, async () => {
    await using fixture = await startRegistry();
    const names = (await getJson(fixture.server, "/components", row.caller)).map((object) =>
      object.name
    ).sort();
    const expected = row.caller === "alice" || row.caller === "sam"
      ? ["private", "public", "shared"]
      : row.get === 200
      ? ["public", "shared"]
      : ["public"];

    assert.deepEqual(names, expected);
  });

  Deno.test(`permission matrix: ${who} on PUT`, async () => {
    await using fixture = await startRegistry();
    const { server, sharedId } = fixture;
    const body = componentBody("shared", { display_name: `renamed by ${who}` });

    const response = await send(server, "PUT", `/components/${sharedId}`, row.caller, {
      body,
      headers: JSON_HEADERS,
    });

    assert.equal(await status(response), row.put);
    const [stored] = await getJson(server, `/components/${sharedId}`, "alice");
    assert.equal(stored?.display_name, row.put === 204 ? `renamed by ${who}` : "shared");
  });

  Deno.test(`permission matrix: ${who} on DELETE`, async () => {
    await using fixture = await startRegistry();
    const { server, sharedId } = fixture;

    assert.equal(
      await status(await send(server, "DELETE", `/components/${sharedId}`, row.caller)),
      row.del,
    );
    const after = await send(server, "GET", `/components/${sharedId}`, "alice");
    assert.equal(await status(after), row.del === 204 ? 404 : 200);
  });
}

Deno.test("permission matrix: system|all share lets a stranger view only", async () => {
  await using fixture = await startRegistry();
  const { server, publicId } = fixture;
  const body = componentBody("public", { display_name: "changed" });

  assert.equal(await status(await send(server, "GET", `/components/${publicId}`, "mallory")), 200);
  assert.equal(
    await status(
      await send(server, "PUT", `/components/${publicId}`, "mallory", {
        body,
        headers: JSON_HEADERS,
      }),
    ),
    403,
  );
  assert.equal(
    await status(await send(server, "DELETE", `/components/${publicId}`, "mallory")),
    403,
  );
});

Deno.test("permission matrix: private object is hidden from a super admin", async () => {
  await using fixture = await startRegistry();
  const { server, privateId, database } = fixture;
  // Super admins reach an object only through its super_admin_default_permissions.
  const stored = await database.get(
    "components",
    privateId,
    new (await import("../../objects/mod.ts")).AdminPermissionContext(),
  );
  assert.deepEqual(stored?.super_admin_default_permissions, ["VIEWER", "EDITOR"]);

  assert.equal(await status(await send(server, "GET", `/components/${privateId}`, "sam")), 200);
  assert.equal(await status(await send(server, "DELETE", `/components/${privateId}`, "sam")), 403);
  assert.equal(await status(await send(server, "GET", `/components/${privateId}`, "bob")), 404);
});

Deno.test("POST creates from JSON with 201 and Location", async () => {
  await using fixture = await startRegistry();
  const { server } = fixture;

  const response = await send(server, "POST", "/components", "bob", {
    body: componentBody("new-json"),
    headers: { ...JSON_HEADERS, "x-forwarded-host": "localhost:8080" },
  });

  assert.equal(response.status, 201);
  assert.equal(await response.text(), "201: Created");
  const location = response.headers.get("location") ?? "";
  assert.match(location, /^http:\/\/localhost:8080\/components\/[0-9a-f]{24}$/);
  const [stored] = await getJson(server, `/components/${location.split("/").pop()}`, "bob");
  assert.equal(stored?.owner, "bob");
  assert.equal(stored?.name, "new-json");
});

Deno.test("POST creates from a Collection+JSON template", async () => {
  await using fixture = await startRegistry();
  const { server } = fixture;
  const template = {
    template: {
      data: [
        { name: "type", value: "heaobject.registry.Component" },
        { name: "name", value: "new-cj" },
        { name: "display_name", value: "New CJ" },
        { section: "resources", index: 0, name: "type", value: "heaobject.registry.Resource" },
        { section: "resources", index: 0, name: "resource_type_name", value: "example.Thing" },
        { section: "resources", index: 0, name: "base_path", value: "things" },
        { section: "resources", index: -1, name: "base_path", value: "default" },
      ],
    },
  };

  const response = await send(server, "POST", "/components/", "bob", {
    body: JSON.stringify(template),
    headers: { "content-type": CJ },
  });

  assert.equal(await status(response), 201);
  const [stored] = await getJson(server, "/components/byname/new-cj", "bob");
  const resources = stored?.resources as Record<string, unknown>[];
  assert.equal(resources.length, 1);
  assert.equal(resources[0]?.base_path, "things");
});

Deno.test("POST creates from a form", async () => {
  await using fixture = await startRegistry();
  const { server } = fixture;

  const response = await send(server, "POST", "/properties", "bob", {
    body: "type=heaobject.registry.Property&name=FORM_SETTING&value=42",
    headers: { "content-type": "application/x-www-form-urlencoded" },
  });

  assert.equal(await status(response), 201);
  const [stored] = await getJson(server, "/properties/byname/FORM_SETTING", "bob");
  assert.equal(stored?.value, "42");
});

Deno.test("POST ignores read-only attributes and stamps UTC times", async () => {
  await using fixture = await startRegistry();
  const { server } = fixture;
  const before = Date.now();

  const response = await send(server, "POST", "/components", "bob", {
    body: componentBody("stamped", {
      id: "000000000000000000000000",
      created: "2000-01-01T00:00:00Z",
      instance_id: "x",
    }),
    headers: JSON_HEADERS,
  });

  const id = (response.headers.get("location") ?? "").split("/").pop();
  assert.equal(await status(response), 201);
  assert.notEqual(id, "000000000000000000000000");
  const [stored] = await getJson(server, `/components/${id}`, "bob");
  const created = String(stored?.created);
  assert.match(created, /Z$/);
  assert.ok(Date.parse(created) >= before - 1000);
  assert.equal(stored?.instance_id, `heaobject.registry.Component^${id}`);
});

Deno.test("POST status rules", async (t) => {
  await using fixture = await startRegistry();
  const { server } = fixture;
  const cases: {
    name: string;
    path?: string;
    body: string;
    contentType?: string;
    status: number;
    message?: RegExp;
  }[] = [
    {
      name: "missing type",
      body: JSON.stringify({ name: "x" }),
      status: 400,
      message: /field type/,
    },
    {
      name: "unknown type",
      body: JSON.stringify({ type: "heaobject.nothing.Here", name: "x" }),
      status: 400,
      message: /field type/,
    },
    {
      name: "mismatched type",
      body: JSON.stringify({ type: "heaobject.registry.Property", name: "x" }),
      status: 400,
      message: /field type/,
    },
    {
      name: "nested missing type",
      body: componentBody("x", { resources: [{ base_path: "a" }] }),
      status: 400,
      message: /resources\[0\]\.type/,
    },
    {
      name: "wrong value kind",
      body: componentBody("x", { base_url: 42 }),
      status: 400,
      message: /field base_url/,
    },
    { name: "malformed JSON", body: "{", status: 400, message: /not valid JSON/ },
    { name: "empty body", body: "", status: 400 },
    { name: "JSON array of two", body: "[{}, {}]", status: 400 },
    {
      name: "another owner",
      body: componentBody("x", { owner: "alice" }),
      status: 403,
      message: /owner/,
    },
    {
      name: "duplicate name",
      body: componentBody("shared"),
      status: 409,
      message: /already exists/,
    },
    {
      name: "pollution key",
      body: '{"type":"heaobject.registry.Component","__proto__":{"x":1}}',
      status: 400,
      message: /__proto__/,
    },
    {
      name: "template without data",
      body: JSON.stringify({ template: {} }),
      contentType: CJ,
      status: 400,
      message: /template\.data/,
    },
  ];

  for (const testCase of cases) {
    await t.step(testCase.name, async () => {
      const response = await send(server, "POST", testCase.path ?? "/components", "bob", {
        body: testCase.body,
        headers: { "content-type": testCase.contentType ?? "application/json" },
      });
      const text = await response.text();
      assert.equal(response.status, testCase.status, text);
      if (testCase.message) {
        assert.match(text, testCase.message);
      }
    });
  }
});

Deno.test("POST rejects a body over the limit with 413", async () => {
  await using fixture = await startRegistry();
  const response = await send(fixture.server, "POST", "/components", "bob", {
    body: componentBody("big", { description: "x".repeat(2 * 1024 * 1024) }),
    headers: JSON_HEADERS,
  });

  assert.equal(await status(response), 413);
});

Deno.test("PUT status rules", async (t) => {
  await using fixture = await startRegistry();
  const { server, sharedId, publicId } = fixture;
  const cases: { name: string; path: string; body: string; status: number }[] = [
    {
      name: "unparsable id",
      path: "/components/not-an-id",
      body: componentBody("shared"),
      status: 404,
    },
    {
      name: "unknown id",
      path: "/components/000000000000000000000000",
      body: componentBody("shared"),
      status: 404,
    },
    {
      name: "id differs from the URL",
      path: `/components/${sharedId}`,
      body: componentBody("shared", { id: publicId }),
      status: 400,
    },
    {
      name: "name taken",
      path: `/components/${sharedId}`,
      body: componentBody("public"),
      status: 409,
    },
    {
      name: "missing type",
      path: `/components/${sharedId}`,
      body: JSON.stringify({ name: "shared" }),
      status: 400,
    },
  ];

  for (const testCase of cases) {
    await t.step(testCase.name, async () => {
      const response = await send(server, "PUT", testCase.path, "alice", {
        body: testCase.body,
        headers: JSON_HEADERS,
      });
      assert.equal(await status(response), testCase.status);
    });
  }
});

Deno.test("PUT keeps attributes the caller may not change", async () => {
  await using fixture = await startRegistry();
  const { server, sharedId } = fixture;
  const body = componentBody("shared", {
    owner: "erin",
    user_shares: [share("erin", ["COOWNER"])],
  });

  const response = await send(server, "PUT", `/components/${sharedId}`, "erin", {
    body,
    headers: JSON_HEADERS,
  });

  assert.equal(await status(response), 204);
  const [stored] = await getJson(server, `/components/${sharedId}`, "alice");
  assert.equal(stored?.owner, "alice");
  assert.equal((stored?.user_shares as unknown[]).length, 3);
  assert.notEqual(stored?.modified, stored?.created);
});

Deno.test("DELETE of an unparsable id is 404", async () => {
  await using fixture = await startRegistry();
  assert.equal(await status(await send(fixture.server, "DELETE", "/components/zzz", "alice")), 404);
  assert.equal(
    await status(await send(fixture.server, "GET", "/components/zzz/opener", "alice")),
    404,
  );
});

Deno.test("GET without Accept answers Collection+JSON", async () => {
  await using fixture = await startRegistry();
  const { server, sharedId } = fixture;

  const response = await send(server, "GET", `/components/${sharedId}`, "bob");

  assert.equal(response.headers.get("content-type"), CJ);
  assert.equal(response.headers.get("cache-control"), "no-cache, no-store, must-revalidate");
  const [document] = await response.json();
  const collection = document.collection;
  assert.equal(collection.version, "1.0");
  assert.deepEqual(collection.permissions, [["VIEWER"]]);
  assert.equal(collection.items.length, 1);
  const links = collection.items[0].links as { rel: string; href: string }[];
  assert.deepEqual(links.map((link) => link.rel), ["self"]);
  assert.equal(links[0]?.href, `${server.url}/components/${sharedId}`);
  assert.equal(collection.template.prompt, "Properties");
  const displayName = collection.template.data.find((row: { name: string }) =>
    row.name === "display_name"
  );
  assert.equal(displayName.readOnly, true, "a viewer may not change display_name");
});

Deno.test("GET as an editor gets writable template fields", async () => {
  await using fixture = await startRegistry();
  const response = await send(fixture.server, "GET", `/components/${fixture.sharedId}`, "erin", {
    headers: { accept: CJ },
  });
  const [document] = await response.json();
  const rows = document.collection.template.data as {
    name: string;
    section?: string;
    readOnly: boolean;
  }[];

  assert.equal(rows.find((row) => row.name === "display_name")?.readOnly, false);
  assert.equal(rows.find((row) => row.name === "id")?.readOnly, true);
  assert.equal(
    rows.find((row) => row.section === "user_shares" && row.name === "user")?.readOnly,
    true,
    "editors may not share",
  );
});

Deno.test("GET answers WeSTL with permissions", async () => {
  await using fixture = await startRegistry();
  const response = await send(fixture.server, "GET", `/components/${fixture.sharedId}`, "erin", {
    headers: { accept: "application/vnd.wstl+json" },
  });
  const [document] = await response.json();

  assert.equal(response.headers.get("content-type"), "application/vnd.wstl+json");
  assert.equal(document.wstl.data[0].name, "shared");
  assert.deepEqual(document.wstl.hea.permissions, [["VIEWER", "EDITOR"]]);
  assert.deepEqual(document.wstl.hea.attribute_permissions[0].display_name, ["VIEWER", "EDITOR"]);
  assert.ok(
    document.wstl.actions.some((action: { name: string }) =>
      action.name === "heaserver-registry-component-get-self"
    ),
  );
});

Deno.test("GET with nothing acceptable is 406", async () => {
  await using fixture = await startRegistry();
  for (
    const path of ["/components", `/components/${fixture.sharedId}`, "/components/byname/shared"]
  ) {
    const response = await send(fixture.server, "GET", path, "bob", {
      headers: { accept: "text/html" },
    });
    assert.equal(await status(response), 406, path);
  }
});

Deno.test("GET all sorts and paginates", async () => {
  await using fixture = await startRegistry();
  const { server } = fixture;

  const descending = await getJson(server, "/components?sort=desc&sort_attr=name", "alice");
  const page = await getJson(server, "/components?sort=asc&sort_attr=name&begin=1&end=2", "alice");
  const defaultAttribute = await getJson(server, "/components/?sort=desc", "alice");

  assert.deepEqual(descending.map((object) => object.name), ["shared", "public", "private"]);
  assert.deepEqual(page.map((object) => object.name), ["public"]);
  assert.deepEqual(defaultAttribute.map((object) => object.display_name), [
    "shared",
    "public",
    "private",
  ]);
});

Deno.test("GET all rejects invalid query parameters with 400", async () => {
  await using fixture = await startRegistry();
  for (
    const query of [
      "sort=sideways",
      "sort_attr=$where",
      "begin=-1",
      "begin=a",
      "end=1&begin=2",
      "sort=asc&sort=desc&sort_attr=name",
    ]
  ) {
    const response = await send(fixture.server, "GET", `/components?${query}`, "alice");
    const text = await response.text();
    assert.equal(response.status, 400, query);
    assert.match(text, /Invalid query/, query);
  }
});

Deno.test("opener answers 300 with the default choice", async () => {
  await using fixture = await startRegistry();
  const response = await send(
    fixture.server,
    "GET",
    `/components/${fixture.sharedId}/opener`,
    "bob",
  );
  const [document] = await response.json();

  assert.equal(response.status, 300);
  assert.equal(response.headers.get("location"), "http://shared.example.org");
  assert.equal(document.collection.items[0].data, undefined, "choices carry links only");
  assert.equal(document.collection.items[0].links.length, 2);
});

Deno.test("bytype finds the component that serves a type", async () => {
  await using fixture = await startRegistry();
  const found = await getJson(fixture.server, "/components/bytype/example.public.Thing", "mallory");
  const missing = await send(
    fixture.server,
    "GET",
    "/components/bytype/example.none.Thing",
    "mallory",
  );

  assert.equal(found[0]?.name, "public");
  assert.equal(await status(missing), 404);
});

Deno.test("unsupported methods get 405 with Allow", async () => {
  await using fixture = await startRegistry();
  const { server, sharedId } = fixture;

  const onCollection = await send(server, "DELETE", "/components", "alice");
  const onItem = await send(server, "PATCH", `/components/${sharedId}`, "alice");
  const options = await send(server, "OPTIONS", `/components/${sharedId}`, "alice");

  assert.equal(await status(onCollection), 405);
  assert.equal(onCollection.headers.get("allow"), "GET, POST, HEAD, OPTIONS");
  assert.equal(await status(onItem), 405);
  assert.equal(onItem.headers.get("allow"), "GET, PUT, DELETE, HEAD, OPTIONS");
  assert.equal(await status(options), 200);
  assert.equal(options.headers.get("allow"), "GET, PUT, DELETE, HEAD, OPTIONS");
});

Deno.test("unknown paths get 404 and every response a request id", async () => {
  await using fixture = await startRegistry();
  const response = await send(fixture.server, "GET", "/nothing/here", "alice", {
    headers: { "x-request-id": "abc-123" },
  });

  assert.equal(await status(response), 404);
  assert.equal(response.headers.get("x-request-id"), "abc-123");
});

Deno.test("PUT of the returned properties form changes nothing", async () => {
  await using fixture = await startRegistry();
  const { server, sharedId, database } = fixture;
  const admin = new AdminPermissionContext();
  const before = await database.get("components", sharedId, admin);
  assert.ok(before);
  (before.resources as Record<string, unknown>[])[0]!.default_shares = [share("bob", ["VIEWER"])];
  await database.update("components", before, admin);
  const stored = await database.get("components", sharedId, admin);

  const response = await send(server, "GET", `/components/${sharedId}`, "alice", {
    headers: { accept: CJ },
  });
  const [document] = await response.json();
  const rows = document.collection.template.data as Record<string, unknown>[];
  const submission = {
    template: {
      data: rows.map(({ name, value, section, index }) => ({ name, value, section, index })),
    },
  };
  const put = await send(server, "PUT", `/components/${sharedId}`, "alice", {
    body: JSON.stringify(submission),
    headers: { "content-type": CJ },
  });
  assert.equal(await status(put), 204);

  const after = await database.get("components", sharedId, admin);
  assert.deepEqual({ ...after, modified: null }, { ...stored, modified: null });
});
