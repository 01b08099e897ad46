import assert from "node:assert/strict";
import { BodyTooLargeError, parseRequestBody } from "../representors/mod.ts";
import { HttpError } from "./http_error.ts";
import {
  bodyLimitsOf,
  checkRequestLimits,
  DEFAULT_REQUEST_LIMITS,
  limitRequestBody,
  type RequestLimits,
  resolveRequestLimits,
} from "./request_limits.ts";
import { Router } from "./router.ts";
import { serve } from "./serve.ts";

function statusOf(action: () => void): number | undefined {
  try {
    action();
  } catch (error) {
    assert.ok(error instanceof HttpError);
    return error.status;
  }
  return undefined;
}

function chunkedBody(chunks: number, chunkBytes: number): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent++ < chunks) {
        controller.enqueue(new TextEncoder().encode("a".repeat(chunkBytes)));
      } else {
        controller.close();
      }
    },
  });
}

/** A router with one route that counts how often the authenticator and the handler run. */
function countingRouter(limits: RequestLimits) {
  const counts = { authenticated: 0, handled: 0 };
  const router = new Router({
    limits,
    authenticate: () => {
      counts.authenticated++;
      return { sub: "alice", claims: {} };
    },
  });
  router.post("/items", async (request) => {
    counts.handled++;
    return Response.json(await parseRequestBody(request, bodyLimitsOf(limits)));
  });
  router.get("/items", () => {
    counts.handled++;
    return new Response("ok");
  });
  // A handler that reads the body without limits of its own, as custom handlers may.
  router.post("/raw", async (request) => {
    counts.handled++;
    return new Response(`${(await request.text()).length} bytes`);
  });

  return { router, counts };
}

Deno.test("resolveRequestLimits fills in defaults", () => {
  assert.deepEqual(resolveRequestLimits(), { ...DEFAULT_REQUEST_LIMITS });
  assert.equal(resolveRequestLimits({ maxHeaderBytes: 100 }).maxHeaderBytes, 100);
  assert.equal(resolveRequestLimits({ maxHeaderBytes: 100 }).maxUrlLength, 8192);
});

Deno.test("resolveRequestLimits rejects invalid limits", () => {
  for (const value of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
    assert.throws(
      () => resolveRequestLimits({ maxBodyBytes: value }),
      /Invalid request limit maxBodyBytes/,
    );
  }
});

Deno.test("checkRequestLimits answers 414 for long URLs", () => {
  const path = `/${"a".repeat(99)}`;

  assert.equal(
    statusOf(() =>
      checkRequestLimits(new Request(`http://localhost${path}`), { maxUrlLength: 100 })
    ),
    undefined,
  );
  assert.equal(
    statusOf(() =>
      checkRequestLimits(new Request(`http://localhost${path}a`), { maxUrlLength: 100 })
    ),
    414,
  );
  assert.equal(
    statusOf(() =>
      checkRequestLimits(new Request(`http://localhost${path}?q`), { maxUrlLength: 100 })
    ),
    414,
  );
});

Deno.test("checkRequestLimits answers 431 for large headers", () => {
  const small = new Request("http://localhost/", { headers: { "x-a": "a".repeat(50) } });
  const large = new Request("http://localhost/", {
    headers: { "x-a": "a".repeat(50), "x-b": "b".repeat(50) },
  });

  assert.equal(statusOf(() => checkRequestLimits(small, { maxHeaderBytes: 100 })), undefined);
  assert.equal(statusOf(() => checkRequestLimits(large, { maxHeaderBytes: 100 })), 431);
});

Deno.test("checkRequestLimits checks Content-Length", () => {
  const declared = (length: string) =>
    new Request("http://localhost/", { method: "POST", headers: { "content-length": length } });

  assert.equal(
    statusOf(() => checkRequestLimits(declared("100"), { maxBodyBytes: 100 })),
    undefined,
  );
  assert.equal(statusOf(() => checkRequestLimits(declared("101"), { maxBodyBytes: 100 })), 413);
  assert.equal(statusOf(() => checkRequestLimits(declared("1e3"), { maxBodyBytes: 100 })), 400);
  assert.equal(statusOf(() => checkRequestLimits(declared("-1"), { maxBodyBytes: 100 })), 400);
});

Deno.test("limitRequestBody cuts chunked bodies at the limit", async () => {
  const small = limitRequestBody(
    new Request("http://localhost/", { method: "POST", body: chunkedBody(2, 10) }),
    20,
  );
  const large = limitRequestBody(
    new Request("http://localhost/", { method: "POST", body: chunkedBody(3, 10) }),
    20,
  );

  assert.equal((await small.text()).length, 20);
  await assert.rejects(large.text(), BodyTooLargeError);
});

Deno.test("limitRequestBody leaves declared bodies alone", () => {
  // A Request built in process has no Content-Length until it is sent, so the test sets it.
  const request = new Request("http://localhost/", {
    method: "POST",
    headers: { "content-length": "3" },
    body: "abc",
  });

  assert.equal(limitRequestBody(request, 1), request);
  assert.equal(limitRequestBody(new Request("http://localhost/"), 1).body, null);
});

Deno.test("bodyLimitsOf carries the service's limits", () => {
  assert.deepEqual(bodyLimitsOf(), { maxBytes: 1024 * 1024, maxDepth: 32 });
  assert.deepEqual(bodyLimitsOf({ maxJsonDepth: 4 }), { maxBytes: 1024 * 1024, maxDepth: 4 });
});

Deno.test("Router rejects oversized requests before authentication", async () => {
  const { router, counts } = countingRouter({
    maxUrlLength: 64,
    maxHeaderBytes: 256,
    maxBodyBytes: 32,
  });
  const cases: [string, Request, number][] = [
    ["long URL", new Request(`http://localhost/items?q=${"a".repeat(64)}`), 414],
    [
      "large headers",
      new Request("http://localhost/items", { headers: { "x-large": "a".repeat(300) } }),
      431,
    ],
    [
      "declared body",
      new Request("http://localhost/items", {
        method: "POST",
        headers: { "content-length": "33" },
        body: "a".repeat(33),
      }),
      413,
    ],
  ];

  for (const [name, request, status] of cases) {
    const response = await router.fetch(request);
    await response.body?.cancel();

    assert.equal(response.status, status, name);
  }
  assert.deepEqual(counts, { authenticated: 0, handled: 0 });
});

Deno.test("Router answers 413 for a chunked body over the limit", async () => {
  const { router } = countingRouter({ maxBodyBytes: 32 });
  const post = (chunks: number) =>
    router.fetch(
      new Request("http://localhost/raw", { method: "POST", body: chunkedBody(chunks, 8) }),
    );

  const small = await post(4);
  const large = await post(8);

  assert.equal(await small.text(), "32 bytes");
  assert.equal(large.status, 413);
  assert.match(await large.text(), /larger than 32 bytes/);
});

Deno.test("Router answers 400 for JSON nested deeper than the limit", async () => {
  const { router } = countingRouter({ maxJsonDepth: 4 });
  const nested = (depth: number) => `${"[".repeat(depth)}${"]".repeat(depth)}`;
  const post = (body: string) =>
    router.fetch(
      new Request("http://localhost/items", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: `{"a":${body}}`,
      }),
    );

  const shallow = await post(nested(3));
  const deep = await post(nested(4));

  assert.equal(shallow.status, 200);
  assert.equal(deep.status, 400);
  assert.match(await deep.text(), /nested more than 4 levels/);
});

Deno.test("Router enforces limits over HTTP", async () => {
  const { router, counts } = countingRouter({ maxUrlLength: 1024, maxBodyBytes: 1024 });
  const server = serve(router.fetch, { port: 0, handleSignals: false });
  try {
    const longUrl = await fetch(`${server.url}/items?q=${"a".repeat(2000)}`);
    const chunked = await fetch(`${server.url}/raw`, { method: "POST", body: chunkedBody(64, 64) });
    const fine = await fetch(`${server.url}/items`);

    assert.equal(longUrl.status, 414);
    assert.equal(chunked.status, 413);
    assert.equal(fine.status, 200);
    await Promise.all([longUrl, chunked, fine].map((response) => response.body?.cancel()));
    assert.equal(counts.handled, 2);
  } finally {
    await server.shutdown();
  }
});

Deno.test("Router rejects invalid limits at construction", () => {
  assert.throws(() => new Router({ limits: { maxUrlLength: 0 } }), RangeError);
});
