import assert from "node:assert/strict";
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from "jose";
import { startOidcIssuer } from "./oidc_issuer.ts";

Deno.test("startOidcIssuer serves its configuration on loopback", async () => {
  await using issuer = await startOidcIssuer();

  const response = await fetch(`${issuer.issuer}/.well-known/openid-configuration`);
  const configuration = await response.json();

  assert.match(issuer.issuer, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.equal(configuration.issuer, issuer.issuer);
  assert.equal(configuration.jwks_uri, issuer.jwksUrl);
  assert.deepEqual(configuration.id_token_signing_alg_values_supported, ["RS256", "ES256"]);
});

Deno.test("startOidcIssuer publishes public keys only", async () => {
  await using issuer = await startOidcIssuer();

  const jwks = await (await fetch(issuer.jwksUrl)).json();

  assert.equal(jwks.keys.length, 2);
  for (const key of jwks.keys) {
    assert.equal(key.d, undefined, "a private part was published");
    assert.equal(key.use, "sig");
    assert.ok(issuer.keys.some((known) => known.kid === key.kid && known.alg === key.alg));
  }
  assert.equal(issuer.jwksRequests, 1);
});

Deno.test("mint signs tokens that verify against the key set", async () => {
  await using issuer = await startOidcIssuer({ audience: "registry", tokenLifetimeSeconds: 60 });
  const keys = createRemoteJWKSet(new URL(issuer.jwksUrl));

  for (const alg of ["RS256", "ES256"]) {
    const token = await issuer.mint({ sub: "alice", groups: ["/a"] }, { alg });
    const { payload, protectedHeader } = await jwtVerify(token, keys, {
      issuer: issuer.issuer,
      audience: "registry",
    });

    assert.equal(protectedHeader.alg, alg);
    assert.equal(payload.sub, "alice");
    assert.deepEqual(payload.groups, ["/a"]);
    assert.equal((payload.exp ?? 0) - (payload.iat ?? 0), 60);
  }
});

Deno.test("mint applies claim and header overrides", async () => {
  await using issuer = await startOidcIssuer();

  const token = await issuer.mint({ sub: "alice" }, {
    iss: "http://127.0.0.1:1",
    aud: ["a", "b"],
    exp: 2000000000,
    nbf: 1900000000,
    iat: 1800000000,
    kid: "chosen",
  });
  const claims = decodeJwt(token);
  const header = decodeProtectedHeader(token);

  assert.equal(claims.iss, "http://127.0.0.1:1");
  assert.deepEqual(claims.aud, ["a", "b"]);
  assert.equal(claims.exp, 2000000000);
  assert.equal(claims.nbf, 1900000000);
  assert.equal(claims.iat, 1800000000);
  assert.equal(header.kid, "chosen");
});

Deno.test("mint makes unsigned and HMAC tokens", async () => {
  await using issuer = await startOidcIssuer();
  const rsa = issuer.keys.find((key) => key.alg === "RS256");
  assert.ok(rsa);

  const unsigned = await issuer.mint({ sub: "alice" }, { alg: "none", kid: null });
  const hmac = await issuer.mint({ sub: "alice" }, { alg: "HS256", key: rsa.kid });
  const pem = new TextEncoder().encode(await issuer.publicKeyPem(rsa.kid));

  assert.ok(unsigned.endsWith("."));
  assert.deepEqual(decodeProtectedHeader(unsigned), { alg: "none", typ: "JWT" });
  assert.equal((await jwtVerify(hmac, pem)).payload.sub, "alice");
});

Deno.test("rotate, publish and retire change the key set", async () => {
  await using issuer = await startOidcIssuer({ algorithms: ["ES256"] });
  const first = issuer.keys[0]?.kid ?? "";
  const keySet = async () =>
    (await (await fetch(issuer.jwksUrl)).json()).keys.map((key: { kid: string }) => key.kid);

  const hidden = await issuer.rotate({ alg: "ES256", publish: false });
  assert.deepEqual(await keySet(), [first]);
  assert.equal(
    decodeProtectedHeader(await issuer.mint({ sub: "a" }, { alg: "ES256" })).kid,
    hidden,
  );

  issuer.publish(hidden);
  issuer.retire(first);
  assert.deepEqual(await keySet(), [hidden]);
  assert.throws(() => issuer.publish("missing"), /no key missing/);
});

Deno.test("close frees the port", async () => {
  const issuer = await startOidcIssuer();
  await issuer.close();

  await assert.rejects(fetch(issuer.jwksUrl));
});
