import assert from "node:assert/strict";
import { externalBaseUrl } from "./request_context.ts";

function baseUrlOf(
  headers: Record<string, string>,
  options: { trust?: boolean; baseUrl?: string } = {},
) {
  return externalBaseUrl(new Request("http://127.0.0.1:8080/components", { headers }), {
    trustForwardedHeaders: options.trust ?? true,
    baseUrl: options.baseUrl,
  });
}

Deno.test("externalBaseUrl defaults to the request origin", () => {
  assert.equal(baseUrlOf({}), "http://127.0.0.1:8080");
});

Deno.test("externalBaseUrl prefers the configured base URL", () => {
  assert.equal(
    baseUrlOf({}, { baseUrl: "https://hea.example.org/registry/" }),
    "https://hea.example.org/registry",
  );
});

Deno.test("externalBaseUrl honours forwarded headers", () => {
  assert.equal(baseUrlOf({ "x-forwarded-host": "localhost:8080" }), "http://localhost:8080");
  assert.equal(
    baseUrlOf({
      "x-forwarded-host": "hea.example.org",
      "x-forwarded-proto": "https",
      "x-forwarded-prefix": "/api/",
    }),
    "https://hea.example.org/api",
  );
  assert.equal(
    baseUrlOf({ "x-forwarded-host": "a.example.org, b.example.org" }),
    "http://a.example.org",
  );
});

Deno.test("externalBaseUrl ignores forwarded headers when untrusted", () => {
  assert.equal(
    baseUrlOf({ "x-forwarded-host": "evil.example.org" }, { trust: false }),
    "http://127.0.0.1:8080",
  );
});

Deno.test("externalBaseUrl ignores malformed forwarded headers", () => {
  assert.equal(
    baseUrlOf({ "x-forwarded-host": "evil.example.org/path?x" }),
    "http://127.0.0.1:8080",
  );
  assert.equal(baseUrlOf({ "x-forwarded-proto": "javascript" }), "http://127.0.0.1:8080");
  assert.equal(baseUrlOf({ "x-forwarded-prefix": "no-leading-slash" }), "http://127.0.0.1:8080");
  assert.equal(baseUrlOf({ "x-forwarded-prefix": "/a b" }), "http://127.0.0.1:8080");
});
