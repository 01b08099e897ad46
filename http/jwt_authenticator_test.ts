import assert from "node:assert/strict";
import { configure, type LogRecord, reset } from "@logtape/logtape";
import {
  base64url,
  decodeJwt,
  exportJWK,
  generateKeyPair,
  jwtVerify,
  SignJWT,
  UnsecuredJWT,
} from "jose";
import { type OidcIssuer, startOidcIssuer } from "../testing/oidc_issuer.ts";
import { gatewayAuthenticator } from "./caller.ts";
import { jwtAuthenticator, type JwtAuthenticatorOptions } from "./jwt_authenticator.ts";
import { Router } from "./router.ts";

/** A router whose one route returns the caller and the URL that handlers see. */
function whoamiRouter(
  issuer: OidcIssuer,
  overrides: Partial<JwtAuthenticatorOptions> = {},
): Router {
  const authenticate = jwtAuthenticator({
    jwksUrl: issuer.jwksUrl,
    issuer: issuer.issuer,
    audience: issuer.audience,
    algorithms: ["RS256", "ES256"],
    ...overrides,
  });

  return new Router({ authenticate }).get("/whoami", (_request, context) =>
    Response.json({
      sub: context.caller.sub,
      claims: context.caller.claims,
      hasToken: context.caller.token !== undefined,
      url: context.url.href,
    }));
}

function bearer(token: string, headers: Record<string, string> = {}): RequestInit {
  return { headers: { authorization: `Bearer ${token}`, ...headers } };
}

async function call(router: Router, init: RequestInit = {}, path = "/whoami"): Promise<Response> {
  return await router.fetch(new Request(`http://localhost${path}`, init));
}

/** Checks an RFC 6750 invalid_token rejection, and that the token appears nowhere in it. */
async function assertInvalidToken(
  response: Response,
  token: string,
  description: RegExp,
): Promise<void> {
  const body = await response.text();
  const challenge = response.headers.get("www-authenticate") ?? "";

  assert.equal(response.status, 401);
  assert.match(challenge, /^Bearer error="invalid_token", error_description="[^"]+"$/);
  assert.match(body, description);
  assert.ok(!body.includes(token), "the body must not echo the token");
  assert.ok(!challenge.includes(token), "the challenge must not echo the token");
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

Deno.test("jwtAuthenticator accepts valid RS256 and ES256 tokens", async () => {
  await using issuer = await startOidcIssuer();
  const router = whoamiRouter(issuer);

  for (const alg of ["RS256", "ES256"]) {
    const token = await issuer.mint({ sub: "alice", email: "alice@example.org" }, { alg });
    const response = await call(router, bearer(token));
    const body = await response.json();

    assert.equal(response.status, 200, alg);
    assert.equal(body.sub, "alice", alg);
    assert.equal(body.claims.email, "alice@example.org", alg);
    assert.equal(body.hasToken, true, alg);
  }
});

Deno.test("jwtAuthenticator returns the token and its typed claims", async () => {
  await using issuer = await startOidcIssuer();
  const authenticate = jwtAuthenticator({
    jwksUrl: issuer.jwksUrl,
    issuer: issuer.issuer,
    audience: issuer.audience,
    algorithms: ["RS256"],
  });
  const token = await issuer.mint({ sub: "alice", groups: ["/a", "/b"], email_verified: true });

  const caller = await authenticate(new Request("http://localhost/", bearer(token)));

  assert.equal(caller.token, token);
  assert.deepEqual(caller.tokenClaims?.groups, ["/a", "/b"]);
  assert.equal(caller.claims.groups, "/a,/b");
  assert.equal(caller.claims.email_verified, "true");
});

Deno.test("jwtAuthenticator accepts access_token and hides it from handlers' URL", async () => {
  await using issuer = await startOidcIssuer();
  const router = whoamiRouter(issuer);
  const token = await issuer.mint({ sub: "alice" });

  const response = await call(router, {}, `/whoami?access_token=${token}&sort=asc`);
  const body = await response.json();

  assert.equal(response.status, 200);
  assert.equal(body.sub, "alice");
  assert.equal(body.url, "http://localhost/whoami?sort=asc");
});

Deno.test("jwtAuthenticator challenges a request without a token", async () => {
  await using issuer = await startOidcIssuer();
  const router = whoamiRouter(issuer, { realm: "hea" });

  const response = await call(router);
  await response.body?.cancel();

  assert.equal(response.status, 401);
  assert.equal(response.headers.get("www-authenticate"), 'Bearer realm="hea"');
});

Deno.test("jwtAuthenticator treats another scheme as no token", async () => {
  await using issuer = await startOidcIssuer();
  const router = whoamiRouter(issuer);

  const response = await call(router, { headers: { authorization: "Basic YWxpY2U6cGFzc3dvcmQ=" } });
  await response.body?.cancel();

  assert.equal(response.status, 401);
  assert.equal(response.headers.get("www-authenticate"), "Bearer");
});

Deno.test("jwtAuthenticator lets anonymous requests in when not required", async () => {
  await using issuer = await startOidcIssuer();
  const router = whoamiRouter(issuer, { required: false });

  const anonymous = await call(router);
  const invalid = await call(router, bearer("not.a.token"));

  assert.equal((await anonymous.json()).sub, "system|none");
  await assertInvalidToken(invalid, "not.a.token", /malformed/);
});

Deno.test("jwtAuthenticator rejects alg none", async () => {
  await using issuer = await startOidcIssuer();
  const router = whoamiRouter(issuer);
  const token = await issuer.mint({ sub: "alice" }, { alg: "none" });

  // Without signature checks the token reads as alice's, so only verification stops it.
  assert.equal(UnsecuredJWT.decode(token, { issuer: issuer.issuer }).payload.sub, "alice");

  await assertInvalidToken(
    await call(router, bearer(token)),
    token,
    /algorithm is not accepted|malformed/,
  );
});

Deno.test("jwtAuthenticator rejects HS256 signed with the public key", async () => {
  await using issuer = await startOidcIssuer();
  const router = whoamiRouter(issuer);
  const rsa = issuer.keys.find((key) => key.alg === "RS256");
  assert.ok(rsa);
  const pem = await issuer.publicKeyPem(rsa.kid);
  const token = await issuer.mint({ sub: "alice" }, { alg: "HS256", key: rsa.kid });

  // A verifier that lets the header choose the algorithm and uses the configured public key as
  // the HMAC secret accepts this forgery.
  const confused = await jwtVerify(token, new TextEncoder().encode(pem));
  assert.equal(confused.payload.sub, "alice");

  await assertInvalidToken(await call(router, bearer(token)), token, /algorithm is not accepted/);
});

Deno.test("jwtAuthenticator rejects an algorithm outside the allow-list", async () => {
  await using issuer = await startOidcIssuer();
  const router = whoamiRouter(issuer, { algorithms: ["RS256"] });
  const token = await issuer.mint({ sub: "alice" }, { alg: "ES256" });

  await assertInvalidToken(await call(router, bearer(token)), token, /use one of RS256/);
});

Deno.test("jwtAuthenticator rejects an expired token", async () => {
  await using issuer = await startOidcIssuer();
  const router = whoamiRouter(issuer);
  const expired = await issuer.mint({ sub: "alice" }, {
    exp: nowSeconds() - 120,
    iat: nowSeconds() - 600,
  });
  const withinTolerance = await issuer.mint({ sub: "alice" }, { exp: nowSeconds() - 5 });

  // The signature is good: a verifier that skipped the exp check would accept the token.
  const keys = await fetch(issuer.jwksUrl).then((response) => response.json());
  assert.equal(keys.keys.length, 2);
  assert.equal(decodeJwt(expired).sub, "alice");

  await assertInvalidToken(await call(router, bearer(expired)), expired, /expired/);
  assert.equal((await call(router, bearer(withinTolerance))).status, 200);
});

Deno.test("jwtAuthenticator rejects a token that is not valid yet", async () => {
  await using issuer = await startOidcIssuer();
  const router = whoamiRouter(issuer);
  const early = await issuer.mint({ sub: "alice" }, { nbf: nowSeconds() + 600 });
  const withinTolerance = await issuer.mint({ sub: "alice" }, { nbf: nowSeconds() + 5 });

  await assertInvalidToken(await call(router, bearer(early)), early, /not valid yet/);
  assert.equal((await call(router, bearer(withinTolerance))).status, 200);
});

Deno.test("jwtAuthenticator rejects another issuer", async () => {
  await using issuer = await startOidcIssuer();
  const router = whoamiRouter(issuer);
  const token = await issuer.mint({ sub: "alice" }, { iss: "http://127.0.0.1:1/other-realm" });

  await assertInvalidToken(await call(router, bearer(token)), token, /another issuer/);
});

Deno.test("jwtAuthenticator rejects another audience", async () => {
  await using issuer = await startOidcIssuer();
  const router = whoamiRouter(issuer);
  const other = await issuer.mint({ sub: "alice" }, { aud: "another-service" });
  const several = await issuer.mint({ sub: "alice" }, {
    aud: ["another-service", issuer.audience],
  });

  await assertInvalidToken(await call(router, bearer(other)), other, /another audience/);
  assert.equal((await call(router, bearer(several))).status, 200);
});

Deno.test("jwtAuthenticator rejects missing exp and sub claims", async () => {
  await using issuer = await startOidcIssuer();
  const router = whoamiRouter(issuer);
  const noSub = await issuer.mint({});
  const noExp = await issuer.mint({ sub: "alice", exp: undefined });

  assert.equal(decodeJwt(noExp).exp, undefined);
  await assertInvalidToken(await call(router, bearer(noSub)), noSub, /no sub claim/);
  await assertInvalidToken(await call(router, bearer(noExp)), noExp, /no exp claim/);
});

Deno.test("jwtAuthenticator rejects a system user as sub", async () => {
  await using issuer = await startOidcIssuer();
  const router = whoamiRouter(issuer);

  for (const sub of ["system|all", "system|none", "system|credentialsmanager"]) {
    const token = await issuer.mint({ sub });
    await assertInvalidToken(await call(router, bearer(token)), token, /system user/);
  }
});

Deno.test("jwtAuthenticator rejects a tampered signature", async () => {
  await using issuer = await startOidcIssuer();
  const router = whoamiRouter(issuer);
  const token = await issuer.mint({ sub: "alice" });
  const [header, payload, signature] = token.split(".") as [string, string, string];
  const flipped = signature.startsWith("A") ? `B${signature.slice(1)}` : `A${signature.slice(1)}`;
  const tampered = `${header}.${payload}.${flipped}`;

  assert.equal((await call(router, bearer(token))).status, 200);
  await assertInvalidToken(await call(router, bearer(tampered)), tampered, /signature is invalid/);
});

Deno.test("jwtAuthenticator rejects a tampered payload", async () => {
  await using issuer = await startOidcIssuer();
  const router = whoamiRouter(issuer);
  const token = await issuer.mint({ sub: "bob" });
  const [header, payload, signature] = token.split(".") as [string, string, string];
  const alicePayload = base64url.encode(JSON.stringify({ ...decodeJwt(token), sub: "alice" }));
  const tampered = `${header}.${alicePayload}.${signature}`;

  // Without a signature check the token would now read as alice's.
  assert.notEqual(alicePayload, payload);
  assert.equal(decodeJwt(tampered).sub, "alice");
  await assertInvalidToken(await call(router, bearer(tampered)), tampered, /signature is invalid/);
});

Deno.test("jwtAuthenticator rejects a key of its own with a known kid", async () => {
  await using issuer = await startOidcIssuer();
  const router = whoamiRouter(issuer);
  const kid = issuer.keys.find((key) => key.alg === "RS256")?.kid ?? "";
  const attacker = await generateKeyPair("RS256");
  const token = await new SignJWT({ sub: "alice", aud: issuer.audience, iss: issuer.issuer })
    .setProtectedHeader({ alg: "RS256", kid })
    .setIssuedAt()
    .setExpirationTime("5m")
    .sign(attacker.privateKey);

  // The attacker's own key would verify it.
  assert.equal((await jwtVerify(token, attacker.publicKey)).payload.sub, "alice");

  await assertInvalidToken(await call(router, bearer(token)), token, /signature is invalid/);
});

Deno.test("jwtAuthenticator rejects an unknown kid, then accepts it once published", async () => {
  await using issuer = await startOidcIssuer();
  const router = whoamiRouter(issuer, { jwksRefreshCooldownSeconds: 0 });
  assert.equal((await call(router, bearer(await issuer.mint({ sub: "alice" })))).status, 200);
  const fetchesBefore = issuer.jwksRequests;

  const kid = await issuer.rotate({ publish: false });
  const token = await issuer.mint({ sub: "alice" }, { key: kid });
  await assertInvalidToken(await call(router, bearer(token)), token, /unknown key/);
  assert.equal(issuer.jwksRequests, fetchesBefore + 1, "an unknown kid fetches the key set again");

  issuer.publish(kid);
  const accepted = await call(router, bearer(token));
  await accepted.body?.cancel();

  assert.equal(accepted.status, 200);
  assert.equal(issuer.jwksRequests, fetchesBefore + 2);
});

Deno.test("jwtAuthenticator picks up a rotated key", async () => {
  await using issuer = await startOidcIssuer();
  const router = whoamiRouter(issuer, { jwksRefreshCooldownSeconds: 0 });
  const oldKid = issuer.keys.find((key) => key.alg === "RS256")?.kid ?? "";
  assert.equal((await call(router, bearer(await issuer.mint({ sub: "alice" })))).status, 200);

  await issuer.rotate({ alg: "RS256" });
  issuer.retire(oldKid);
  const rotated = await issuer.mint({ sub: "alice" });
  const old = await issuer.mint({ sub: "alice" }, { key: oldKid });

  assert.equal((await call(router, bearer(rotated))).status, 200);
  await assertInvalidToken(await call(router, bearer(old)), old, /unknown key/);
});

Deno.test("jwtAuthenticator refetches keys at most once per cooldown", async () => {
  await using issuer = await startOidcIssuer();
  const router = whoamiRouter(issuer, { jwksRefreshCooldownSeconds: 30 });
  assert.equal((await call(router, bearer(await issuer.mint({ sub: "alice" })))).status, 200);
  const fetchesBefore = issuer.jwksRequests;

  for (let attempt = 0; attempt < 5; attempt++) {
    const token = await issuer.mint({ sub: "alice" }, { kid: `unknown-${attempt}` });
    await assertInvalidToken(await call(router, bearer(token)), token, /unknown key/);
  }

  assert.equal(issuer.jwksRequests, fetchesBefore);
});

Deno.test("jwtAuthenticator ignores spoofed OIDC_CLAIM headers", async () => {
  await using issuer = await startOidcIssuer();
  const spoofed = { OIDC_CLAIM_sub: "alice", OIDC_CLAIM_email: "alice@example.org" };
  const required = whoamiRouter(issuer);
  const optional = whoamiRouter(issuer, { required: false });
  const token = await issuer.mint({ sub: "mallory" });

  // Behind the gateway these headers decide the caller, which is why direct mode ignores them.
  assert.equal(
    gatewayAuthenticator(new Request("http://localhost/", { headers: spoofed })).sub,
    "alice",
  );

  const withToken = await (await call(required, bearer(token, spoofed))).json();
  const withoutToken = await call(required, { headers: spoofed });
  await withoutToken.body?.cancel();
  const anonymous = await (await call(optional, { headers: spoofed })).json();

  assert.equal(withToken.sub, "mallory");
  assert.equal(withToken.claims.email, undefined);
  assert.equal(withoutToken.status, 401);
  assert.equal(anonymous.sub, "system|none");
});

Deno.test("jwtAuthenticator answers invalid requests with 400", async () => {
  await using issuer = await startOidcIssuer();
  const router = whoamiRouter(issuer);
  const token = await issuer.mint({ sub: "alice" });
  const cases: [string, RequestInit, string][] = [
    ["header and query", bearer(token), `/whoami?access_token=${token}`],
    ["query twice", {}, `/whoami?access_token=${token}&access_token=${token}`],
    ["empty query", {}, "/whoami?access_token="],
    ["scheme without token", { headers: { authorization: "Bearer " } }, "/whoami"],
  ];

  for (const [name, init, path] of cases) {
    const response = await call(router, init, path);
    const body = await response.text();

    assert.equal(response.status, 400, name);
    assert.match(response.headers.get("www-authenticate") ?? "", /error="invalid_request"/, name);
    assert.ok(!body.includes(token), name);
  }
});

Deno.test("jwtAuthenticator rejects tokens with invalid characters", async () => {
  await using issuer = await startOidcIssuer();
  const router = whoamiRouter(issuer);

  for (const token of ["a b", 'abc"def', "abc,def", "{}"]) {
    const response = await call(router, {}, `/whoami?access_token=${encodeURIComponent(token)}`);
    await assertInvalidToken(response, token, /malformed/);
  }
});

Deno.test("jwtAuthenticator answers 503 when the keys are unreachable", async () => {
  const issuer = await startOidcIssuer();
  const token = await issuer.mint({ sub: "alice" });
  const router = whoamiRouter(issuer, { retryAfterSeconds: 7 });
  await issuer.close();

  const response = await call(router, bearer(token));
  const body = await response.text();

  assert.equal(response.status, 503);
  assert.equal(response.headers.get("retry-after"), "7");
  assert.ok(!body.includes(token));
});

Deno.test("jwtAuthenticator verifies with configured keys", async () => {
  const { privateKey, publicKey } = await generateKeyPair("ES256");
  const jwk = { ...(await exportJWK(publicKey)), kid: "k1", alg: "ES256" };
  const authenticate = jwtAuthenticator({
    keys: { keys: [jwk] },
    issuer: "https://issuer.invalid",
    audience: "registry",
    algorithms: ["ES256"],
  });
  const token = await new SignJWT({ sub: "alice" })
    .setProtectedHeader({ alg: "ES256", kid: "k1" })
    .setIssuer("https://issuer.invalid")
    .setAudience("registry")
    .setExpirationTime("5m")
    .sign(privateKey);

  const caller = await authenticate(new Request("http://localhost/", bearer(token)));

  assert.equal(caller.sub, "alice");
});

Deno.test("jwtAuthenticator validates its options", () => {
  const base = {
    jwksUrl: "http://127.0.0.1:1/jwks.json",
    issuer: "http://127.0.0.1:1",
    audience: "a",
  };
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ["no algorithms", { ...base, algorithms: [] }, /algorithms/],
    ["none", { ...base, algorithms: ["none"] }, /"none" accepts unsigned tokens/],
    ["HS256", { ...base, algorithms: ["RS256", "HS256"] }, /"HS256" is not accepted/],
    [
      "no key source",
      { issuer: base.issuer, audience: "a", algorithms: ["RS256"] },
      /exactly one of jwksUrl and keys/,
    ],
    ["two key sources", { ...base, keys: { keys: [{}] }, algorithms: ["RS256"] }, /exactly one/],
    ["empty keys", {
      issuer: base.issuer,
      audience: "a",
      keys: { keys: [] },
      algorithms: ["RS256"],
    }, /keys/],
    ["bad URL", { ...base, jwksUrl: "file:///etc/passwd", algorithms: ["RS256"] }, /jwksUrl/],
    ["no issuer", { ...base, issuer: "", algorithms: ["RS256"] }, /issuer/],
    ["no audience", { ...base, audience: [], algorithms: ["RS256"] }, /audience/],
    [
      "large tolerance",
      { ...base, algorithms: ["RS256"], clockToleranceSeconds: 86400 },
      /clockToleranceSeconds/,
    ],
  ];

  for (const [name, options, message] of cases) {
    assert.throws(
      () => jwtAuthenticator(options as unknown as JwtAuthenticatorOptions),
      message,
      name,
    );
  }
});

Deno.test("jwtAuthenticator logs rejections without the token", async () => {
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
    await using issuer = await startOidcIssuer();
    const router = whoamiRouter(issuer);
    const tokens = [
      await issuer.mint({ sub: "alice" }, { exp: nowSeconds() - 600, iat: nowSeconds() - 900 }),
      await issuer.mint({ sub: "alice" }, { alg: "none" }),
      await issuer.mint({ sub: "alice" }, { aud: "other" }),
    ];
    for (const token of tokens) {
      await (await call(router, bearer(token))).body?.cancel();
      await (await call(router, {}, `/whoami?access_token=${token}`)).body?.cancel();
    }

    const rejections = records.filter((record) => record.category.join(".") === "hea.http.auth");
    assert.ok(rejections.length >= tokens.length * 2);
    assert.ok(rejections.every((record) => record.level === "debug"));
    const logged = records.map((record) =>
      record.message.map(String).join("") + JSON.stringify(record.properties)
    ).join("\n");
    for (const token of tokens) {
      assert.ok(!logged.includes(token), "a log record contains a token");
      assert.ok(
        !logged.includes(token.split(".")[2] || token.split(".")[1] || ""),
        "a log record contains part of a token",
      );
    }
  } finally {
    await reset();
  }
});

Deno.test("jwtAuthenticator logs key outages at a limited rate", async () => {
  const records: LogRecord[] = [];
  await configure({
    sinks: { memory: (record) => records.push(record) },
    loggers: [
      { category: ["hea", "http", "auth"], lowestLevel: "debug", sinks: ["memory"] },
      { category: ["logtape", "meta"], lowestLevel: "warning", sinks: [] },
    ],
    reset: true,
  });
  try {
    const issuer = await startOidcIssuer({ algorithms: ["ES256"] });
    const token = await issuer.mint({ sub: "alice" }, { alg: "ES256" });
    const router = whoamiRouter(issuer);
    await issuer.close();

    for (let attempt = 0; attempt < 5; attempt++) {
      const response = await call(router, bearer(token));
      await response.body?.cancel();
      assert.equal(response.status, 503);
    }

    const errors = records.filter((record) => record.level === "error");
    assert.equal(errors.length, 1);
  } finally {
    await reset();
  }
});
