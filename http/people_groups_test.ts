import assert from "node:assert/strict";
import { configure, type LogRecord, reset } from "@logtape/logtape";
import type { Caller } from "./caller.ts";
import { HttpError } from "./http_error.ts";
import { peopleServiceGroups } from "./people_groups.ts";

interface PeopleRequest {
  readonly path: string;
  readonly sub: string | null;
  readonly authorization: string | null;
}

/** A fake people service on loopback that records each request and returns what `respond` builds. */
function startPeopleService(respond: (path: string) => Response | Promise<Response>) {
  const requests: PeopleRequest[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (request) => {
    const path = new URL(request.url).pathname;
    requests.push({
      path,
      sub: request.headers.get("oidc_claim_sub"),
      authorization: request.headers.get("authorization"),
    });
    return respond(path);
  });

  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    requests,
    [Symbol.asyncDispose]: () => server.shutdown(),
  };
}

const REQUEST = new Request("http://localhost/components");

function caller(sub: string, token?: string): Caller {
  return { sub, claims: {}, ...(token ? { token } : {}) };
}

async function rejection(promise: Promise<unknown> | unknown): Promise<HttpError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof HttpError);
    return error;
  }
  assert.fail("expected the lookup to fail");
}

Deno.test("peopleServiceGroups reads group objects and names", async () => {
  await using people = startPeopleService(() =>
    Response.json([
      { type: "heaobject.person.Group", group: "/*super-admin", name: "Lypzc3VwZXItYWRtaW4" },
      "/research",
      "/research",
    ])
  );
  const groups = peopleServiceGroups({ peopleUrl: people.url });

  assert.deepEqual(await groups(caller("alice"), REQUEST), ["/*super-admin", "/research"]);
});

Deno.test("peopleServiceGroups forwards the sub and the token", async () => {
  await using people = startPeopleService(() => Response.json([]));
  const groups = peopleServiceGroups({ peopleUrl: `${people.url}/` });

  await groups(caller("auth0|alice", "eyJ.token.sig"), REQUEST);
  await groups(caller("bob"), REQUEST);

  assert.deepEqual(people.requests, [
    {
      path: "/people/auth0%7Calice/groups",
      sub: "auth0|alice",
      authorization: "Bearer eyJ.token.sig",
    },
    { path: "/people/bob/groups", sub: "bob", authorization: null },
  ]);
});

Deno.test("peopleServiceGroups uses the configured path", async () => {
  await using people = startPeopleService(() => Response.json(["/a"]));
  const groups = peopleServiceGroups({ peopleUrl: people.url, path: "/people/{sub}/groupviews" });

  await groups(caller("alice"), REQUEST);

  assert.equal(people.requests[0]?.path, "/people/alice/groupviews");
});

Deno.test("peopleServiceGroups skips system users", async () => {
  await using people = startPeopleService(() => Response.json(["/*super-admin"]));
  const groups = peopleServiceGroups({ peopleUrl: people.url });

  for (const sub of ["system|none", "system|all", "system|test"]) {
    assert.deepEqual(await groups(caller(sub), REQUEST), [], sub);
  }
  assert.equal(people.requests.length, 0);
});

Deno.test("peopleServiceGroups keeps dot ids inside the path", async () => {
  await using people = startPeopleService(() => Response.json(["/*super-admin"]));
  const groups = peopleServiceGroups({ peopleUrl: people.url });

  for (const sub of [".", ".."]) {
    assert.deepEqual(await groups(caller(sub), REQUEST), [], sub);
  }
  await groups(caller("..."), REQUEST);
  await groups(caller("a/../b"), REQUEST);

  assert.deepEqual(people.requests.map((request) => request.path), [
    "/people/.../groups",
    "/people/a%2F..%2Fb/groups",
  ]);
});

Deno.test("peopleServiceGroups caches per user until the TTL", async () => {
  await using people = startPeopleService(() => Response.json(["/a"]));
  const groups = peopleServiceGroups({ peopleUrl: people.url, cacheTtlSeconds: 0.2 });

  await groups(caller("alice"), REQUEST);
  await groups(caller("alice"), REQUEST);
  await groups(caller("bob"), REQUEST);
  assert.equal(people.requests.length, 2);

  await new Promise((resolve) => setTimeout(resolve, 250));
  await groups(caller("alice"), REQUEST);
  assert.equal(people.requests.length, 3);
});

Deno.test("peopleServiceGroups bounds its cache", async () => {
  await using people = startPeopleService(() => Response.json(["/a"]));
  const groups = peopleServiceGroups({ peopleUrl: people.url, cacheMaxEntries: 2 });

  for (const sub of ["u1", "u2", "u3", "u1"]) {
    await groups(caller(sub), REQUEST);
  }

  // u1 was the oldest entry when u3 arrived, so it was fetched again.
  assert.deepEqual(people.requests.map((request) => request.sub), ["u1", "u2", "u3", "u1"]);
});

Deno.test("peopleServiceGroups shares one lookup between concurrent requests", async () => {
  await using people = startPeopleService(async () => {
    await new Promise((resolve) => setTimeout(resolve, 50));
    return Response.json(["/a"]);
  });
  const groups = peopleServiceGroups({ peopleUrl: people.url });

  const results = await Promise.all([1, 2, 3, 4].map(() => groups(caller("alice"), REQUEST)));

  assert.equal(people.requests.length, 1);
  assert.ok(results.every((result) => result.length === 1 && result[0] === "/a"));
});

Deno.test("peopleServiceGroups treats 404 as no groups", async () => {
  await using people = startPeopleService(() => new Response("Person not found", { status: 404 }));
  const groups = peopleServiceGroups({ peopleUrl: people.url });

  assert.deepEqual(await groups(caller("alice"), REQUEST), []);
});

Deno.test("peopleServiceGroups answers 503 on failures", async () => {
  const answers: Record<string, () => Response> = {
    "/people/status500/groups": () => new Response("boom", { status: 500 }),
    "/people/status500list/groups": () => Response.json(["/*super-admin"], { status: 500 }),
    "/people/notjson/groups": () =>
      new Response("<html>", { headers: { "content-type": "text/html" } }),
    "/people/object/groups": () => Response.json({ groups: ["/a"] }),
    "/people/badelement/groups": () => Response.json(["/a", 42]),
    "/people/nogroup/groups": () => Response.json([{ type: "heaobject.person.Group", name: "x" }]),
  };
  await using people = startPeopleService((path) =>
    answers[path]?.() ?? new Response(null, { status: 500 })
  );
  const groups = peopleServiceGroups({ peopleUrl: people.url, retryAfterSeconds: 3 });

  for (const sub of ["status500", "status500list", "notjson", "object", "badelement", "nogroup"]) {
    const error = await rejection(groups(caller(sub), REQUEST));

    assert.equal(error.status, 503, sub);
    assert.equal(error.headers["retry-after"], "3", sub);
  }
});

Deno.test("peopleServiceGroups does not cache failures", async () => {
  let fail = true;
  await using people = startPeopleService(() =>
    fail ? new Response(null, { status: 502 }) : Response.json(["/a"])
  );
  const groups = peopleServiceGroups({ peopleUrl: people.url });

  assert.equal((await rejection(groups(caller("alice"), REQUEST))).status, 503);
  fail = false;

  assert.deepEqual(await groups(caller("alice"), REQUEST), ["/a"]);
});

Deno.test("peopleServiceGroups times out", async () => {
  await using people = startPeopleService(async () => {
    await new Promise((resolve) => setTimeout(resolve, 500));
    return Response.json(["/a"]);
  });
  const groups = peopleServiceGroups({ peopleUrl: people.url, timeoutSeconds: 0.05 });

  const error = await rejection(groups(caller("alice"), REQUEST));

  assert.equal(error.status, 503);
});

Deno.test("peopleServiceGroups logs failures at a limited rate", async () => {
  const records: LogRecord[] = [];
  await configure({
    sinks: { memory: (record) => records.push(record) },
    loggers: [
      { category: ["hea"], lowestLevel: "debug", sinks: ["memory"] },
      { category: ["logtape", "meta"], lowestLevel: "warning", sinks: [] },
    ],
    reset: true,
  });
  try {
    const groups = peopleServiceGroups({
      peopleUrl: "http://127.0.0.1:1",
      fetch: () => Promise.reject(new TypeError("connection refused")),
    });
    for (let attempt = 0; attempt < 5; attempt++) {
      await rejection(groups(caller("alice", "secret-token"), REQUEST));
    }

    const errors = records.filter((record) => record.level === "error");
    assert.equal(errors.length, 1);
    assert.equal(errors[0]?.properties.sub, "alice");
    const logged = records.map((record) => record.message.map(String).join("")).join("\n");
    assert.ok(!logged.includes("secret-token"));
  } finally {
    await reset();
  }
});

Deno.test("peopleServiceGroups validates its options", () => {
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ peopleUrl: "not a url" }, /peopleUrl/],
    [{ peopleUrl: "ftp://127.0.0.1" }, /peopleUrl/],
    [{ peopleUrl: "http://127.0.0.1", path: "people/{sub}" }, /path/],
    [{ peopleUrl: "http://127.0.0.1", path: "/people/groups" }, /path/],
    [{ peopleUrl: "http://127.0.0.1", cacheTtlSeconds: -1 }, /cacheTtlSeconds/],
    [{ peopleUrl: "http://127.0.0.1", cacheMaxEntries: 0 }, /cacheMaxEntries/],
    [{ peopleUrl: "http://127.0.0.1", timeoutSeconds: 0 }, /timeoutSeconds/],
  ];

  for (const [options, message] of cases) {
    assert.throws(
      () => peopleServiceGroups(options as unknown as Parameters<typeof peopleServiceGroups>[0]),
      message,
    );
  }
});
