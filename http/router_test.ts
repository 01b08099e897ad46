import assert from "node:assert/strict";
import { HttpError } from "./http_error.ts";
import { ok } from "./responses.ts";
import { Router } from "./router.ts";

function request(path: string, init: RequestInit = {}): Request {
  return new Request(`http://localhost${path}`, init);
}

Deno.test("Router matches routes and decodes parameters", async () => {
  const router = new Router().get("/items/:id", (_request, context) => ok(context.params.id ?? ""));

  const response = await router.fetch(request("/items/a%20b"));

  assert.equal(response.status, 200);
  assert.equal(await response.text(), "a b");
});

Deno.test("Router answers 404 for an unknown path", async () => {
  const router = new Router().get("/items", () => ok("x"));

  const response = await router.fetch(request("/other"));

  assert.equal(response.status, 404);
  assert.match(await response.text(), /No resource at \/other/);
});

Deno.test("Router answers 405 with Allow", async () => {
  const router = new Router()
    .get("/items/:id", () => ok("x"))
    .put("/items/:id", () => ok("x"));

  const response = await router.fetch(request("/items/1", { method: "POST" }));

  assert.equal(response.status, 405);
  assert.equal(response.headers.get("allow"), "GET, PUT, HEAD, OPTIONS");
  await response.body?.cancel();
});

Deno.test("Router answers OPTIONS with Allow", async () => {
  const router = new Router().post("/items", () => ok("x"));

  const response = await router.fetch(request("/items", { method: "OPTIONS" }));

  assert.equal(response.status, 200);
  assert.equal(response.headers.get("allow"), "POST, OPTIONS");
});

Deno.test("Router answers HEAD without a body", async () => {
  const router = new Router().get("/items", () => ok("payload", "text/plain"));

  const response = await router.fetch(request("/items", { method: "HEAD" }));

  assert.equal(response.status, 200);
  assert.equal(response.headers.get("content-type"), "text/plain");
  assert.equal(await response.text(), "");
});

Deno.test("Router maps thrown errors in one place", async () => {
  const router = new Router()
    .get("/conflict", () => {
      throw new HttpError(409, "taken");
    })
    .get("/bug", () => {
      throw new Error("secret detail");
    });

  const conflict = await router.fetch(request("/conflict"));
  const bug = await router.fetch(request("/bug"));
  const bugText = await bug.text();

  assert.equal(conflict.status, 409);
  assert.equal(await conflict.text(), "taken");
  assert.equal(bug.status, 500);
  assert.doesNotMatch(bugText, /secret detail/);
  assert.match(bugText, new RegExp(bug.headers.get("x-request-id") ?? "missing"));
});

Deno.test("Router keeps a well-formed client request id", async () => {
  const router = new Router().get("/", () => ok("x"));

  const kept = await router.fetch(request("/", { headers: { "x-request-id": "client-42" } }));
  const replaced = await router.fetch(
    request("/", { headers: { "x-request-id": "bad id\twith tab" } }),
  );

  assert.equal(kept.headers.get("x-request-id"), "client-42");
  assert.match(replaced.headers.get("x-request-id") ?? "", /^[0-9a-f-]{36}$/);
});

Deno.test("Router rejects malformed percent-encoding with 400", async () => {
  const router = new Router().get("/items/:id", () => ok("x"));

  const response = await router.fetch(request("/items/%E0%A4%A"));

  assert.equal(response.status, 400);
  await response.body?.cancel();
});

Deno.test("Router context carries caller, groups and base URL", async () => {
  const router = new Router({
    groups: (caller) => caller.sub === "carol" ? ["/research"] : [],
    baseUrl: "https://hea.example.org/api",
  }).get("/whoami", (_request, context) =>
    Response.json({
      sub: context.caller.sub,
      groups: context.permissions.groups,
      baseUrl: context.baseUrl,
    }));

  const response = await router.fetch(request("/whoami", { headers: { OIDC_CLAIM_sub: "carol" } }));

  assert.deepEqual(await response.json(), {
    sub: "carol",
    groups: ["/research"],
    baseUrl: "https://hea.example.org/api",
  });
});

Deno.test("Router copies immutable responses to add the request id", async () => {
  const router = new Router().get("/moved", () => Response.redirect("http://localhost/new", 302));

  const response = await router.fetch(request("/moved"));

  assert.equal(response.status, 302);
  assert.ok(response.headers.get("x-request-id"));
});

Deno.test("Router answers 405 to lower-case and unknown methods over HTTP", async () => {
  const router = new Router().get("/items", () => ok("x"));
  const { serve } = await import("./serve.ts");
  const server = serve(router.fetch, { port: 0, handleSignals: false });
  try {
    for (const method of ["get", "TRACE", "BREW"]) {
      const connection = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
      await connection.write(
        new TextEncoder().encode(
          `${method} /items HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`,
        ),
      );
      const reply = await new Response(connection.readable).text();
      assert.match(reply, /^HTTP\/1\.1 405 /, method);
    }
  } finally {
    await server.shutdown();
  }
});

Deno.test("Router rejects two callers in OIDC_CLAIM_sub", async () => {
  const router = new Router().get("/", (_request, context) => ok(context.caller.sub));
  const headers = new Headers();
  headers.append("OIDC_CLAIM_sub", "alice");
  headers.append("OIDC_CLAIM_sub", "bob");

  const response = await router.fetch(request("/", { headers }));

  assert.equal(response.status, 400);
  assert.match(await response.text(), /OIDC_CLAIM_sub/);
});

Deno.test("not-found messages quote ids from the URL", async () => {
  const { SqliteDatabase } = await import("../db/mod.ts");
  const { PropertyType, TypeRegistry } = await import("../objects/mod.ts");
  const { mountCollection } = await import("./collection_routes.ts");
  const database = new SqliteDatabase();
  const router = await mountCollection(new Router(), {
    collection: "properties",
    type: PropertyType,
    registry: new TypeRegistry([PropertyType]),
    database,
  });

  const response = await router.fetch(request("/properties/a%00b%0Ac"));

  assert.equal(response.status, 404);
  assert.equal(await response.text(), 'Property "a\\u0000b\\nc" not found');
  await database.close();
});
