/**
 * A local OpenID Connect issuer for tests: it makes signing keys, serves its JSON Web Key Set and
 * OpenID configuration on loopback, and mints tokens, including malformed and forged ones for
 * tests of attacks.
 *
 * @module
 */

import {
  base64url,
  calculateJwkThumbprint,
  type CryptoKey,
  exportJWK,
  exportSPKI,
  generateKeyPair,
  type JWK,
  type JWTPayload,
  SignJWT,
} from "jose";

/** The kinds of signing key the issuer makes. */
export type IssuerKeyAlgorithm = "RS256" | "ES256";

/** Options of {@linkcode startOidcIssuer}. */
export interface OidcIssuerOptions {
  /** The `aud` of minted tokens. Defaults to `hea-test`. */
  readonly audience?: string;
  /** The keys to make at start, one per algorithm. Defaults to RS256 and ES256. */
  readonly algorithms?: readonly IssuerKeyAlgorithm[];
  /** How long minted tokens are valid, in seconds. Defaults to 300. */
  readonly tokenLifetimeSeconds?: number;
}

/** Options of {@linkcode OidcIssuer.mint} besides the claims. Every field is optional. */
export interface MintOptions {
  /**
   * The `kid` of the signing key. Defaults to the current key of `alg`, else the current RS256
   * key.
   */
  readonly key?: string;
  /**
   * The `alg` header. `none` makes an unsigned token. `HS256`, `HS384` and `HS512` sign with HMAC
   * over `secret`, which defaults to the signing key's public key in PEM form, the classic
   * algorithm-confusion forgery. Other values must suit the signing key.
   */
  readonly alg?: string;
  /** The HMAC secret for `HS*` algorithms. */
  readonly secret?: Uint8Array;
  /** The `kid` header; `null` leaves it out. Defaults to the signing key's `kid`. */
  readonly kid?: string | null;
  /** The `iss` claim. Defaults to the issuer's URL. */
  readonly iss?: string;
  /** The `aud` claim. Defaults to the issuer's audience. */
  readonly aud?: string | string[];
  /** The `exp` claim in seconds since the epoch. Defaults to now plus the token lifetime. */
  readonly exp?: number;
  /** The `nbf` claim in seconds since the epoch; absent by default. */
  readonly nbf?: number;
  /** The `iat` claim in seconds since the epoch. Defaults to now. */
  readonly iat?: number;
}

/** A signing key of the issuer, without its private part. */
export interface IssuerKey {
  /** The key id, the RFC 7638 thumbprint of the public key. */
  readonly kid: string;
  /** The algorithm the key signs with. */
  readonly alg: IssuerKeyAlgorithm;
  /** Whether the key set that the issuer serves includes the key. */
  readonly published: boolean;
}

/** Options of {@linkcode OidcIssuer.rotate}. */
export interface RotateOptions {
  /** The algorithm of the new key. Defaults to RS256. */
  readonly alg?: IssuerKeyAlgorithm;
  /** Whether to publish the new key at once. Defaults to `true`. */
  readonly publish?: boolean;
}

/** A running local issuer. */
export interface OidcIssuer {
  /** The issuer URL, `http://127.0.0.1:PORT`, which minted tokens carry in `iss`. */
  readonly issuer: string;
  /** The URL of the JSON Web Key Set. */
  readonly jwksUrl: string;
  /** The audience that minted tokens carry in `aud`. */
  readonly audience: string;
  /** How many times the key set has been fetched. */
  readonly jwksRequests: number;
  /** Every key, published or not. */
  readonly keys: readonly IssuerKey[];
  /**
   * Signs a token with the claims, adding `iss`, `aud`, `iat` and `exp` unless the claims or the
   * options set them.
   */
  mint(claims?: Readonly<Record<string, unknown>>, options?: MintOptions): Promise<string>;
  /** Makes a new key, the current one for its algorithm, and returns its `kid`. */
  rotate(options?: RotateOptions): Promise<string>;
  /** Adds a key to the served key set. */
  publish(kid: string): void;
  /** Removes a key from the served key set; it can still sign. */
  retire(kid: string): void;
  /** Returns a key's public key in SPKI PEM form. */
  publicKeyPem(kid: string): Promise<string>;
  /** Stops the server. */
  close(): Promise<void>;
  /** Stops the server, for `await using`. */
  [Symbol.asyncDispose](): Promise<void>;
}

interface KeyEntry {
  kid: string;
  alg: IssuerKeyAlgorithm;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  publicJwk: JWK;
  published: boolean;
}

const JWKS_PATH = "/jwks.json";
const DISCOVERY_PATH = "/.well-known/openid-configuration";

/**
 * Starts a local OIDC issuer on 127.0.0.1 at a free port, with fresh RS256 and ES256 keys. It
 * serves `/.well-known/openid-configuration` and the key set, and never contacts another host.
 * Close it when the test ends.
 *
 * @example Mint a token and read the key set
 * ```ts
 * import { startOidcIssuer } from "@hea/server/testing";
 * import { decodeJwt } from "jose";
 * import assert from "node:assert/strict";
 *
 * await using issuer = await startOidcIssuer({ audience: "registry" });
 * const token = await issuer.mint({ sub: "alice" });
 * assert.equal(decodeJwt(token).aud, "registry");
 * const jwks = await (await fetch(issuer.jwksUrl)).json();
 * assert.equal(jwks.keys.length, 2);
 * ```
 */
export async function startOidcIssuer(options: OidcIssuerOptions = {}): Promise<OidcIssuer> {
  const audience = options.audience ?? "hea-test";
  const lifetime = options.tokenLifetimeSeconds ?? 300;
  const keys: KeyEntry[] = [];
  const current = new Map<IssuerKeyAlgorithm, KeyEntry>();
  let jwksRequests = 0;

  const addKey = async (alg: IssuerKeyAlgorithm, published: boolean): Promise<KeyEntry> => {
    const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
    const exported = await exportJWK(publicKey);
    const kid = await calculateJwkThumbprint(exported);
    const entry: KeyEntry = {
      kid,
      alg,
      privateKey,
      publicKey,
      publicJwk: { ...exported, kid, alg, use: "sig" },
      published,
    };
    keys.push(entry);
    current.set(alg, entry);
    return entry;
  };
  for (const alg of options.algorithms ?? ["RS256", "ES256"]) {
    await addKey(alg, true);
  }

  const serveRequest = (request: Request): Response => {
    const path = new URL(request.url).pathname;
    if (request.method !== "GET") {
      return new Response("Method not allowed; use GET", {
        status: 405,
        headers: { allow: "GET" },
      });
    }
    if (path === JWKS_PATH) {
      jwksRequests++;
      const published = keys.filter((key) => key.published).map((key) => key.publicJwk);
      return Response.json({ keys: published });
    }
    if (path === DISCOVERY_PATH) {
      return Response.json({
        issuer,
        jwks_uri: jwksUrl,
        id_token_signing_alg_values_supported: [...new Set(keys.map((key) => key.alg))],
        response_types_supported: ["code"],
        subject_types_supported: ["public"],
      });
    }
    return new Response(`No resource at ${path}`, { status: 404 });
  };
  const server: Deno.HttpServer<Deno.NetAddr> = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    serveRequest,
  );
  const issuer: string = `http://127.0.0.1:${server.addr.port}`;
  const jwksUrl: string = `${issuer}${JWKS_PATH}`;

  const find = (kid: string): KeyEntry => {
    const entry = keys.find((key) => key.kid === kid);
    if (!entry) {
      throw new RangeError(`The issuer has no key ${kid}; use a kid from issuer.keys`);
    }
    return entry;
  };

  const mint = async (
    claims: Readonly<Record<string, unknown>> = {},
    mintOptions: MintOptions = {},
  ): Promise<string> => {
    const now = Math.floor(Date.now() / 1000);
    const payload: JWTPayload = {
      iss: issuer,
      aud: audience,
      iat: now,
      exp: now + lifetime,
      ...claims,
      ...definedClaims(mintOptions),
    };
    const alg = mintOptions.alg;
    const signer = mintOptions.key !== undefined
      ? find(mintOptions.key)
      : current.get(alg as IssuerKeyAlgorithm) ?? current.get("RS256") ?? keys[0];
    if (!signer) {
      throw new RangeError("The issuer has no keys; call rotate() first");
    }
    const kid = mintOptions.kid === undefined ? signer.kid : mintOptions.kid;

    if (alg === "none") {
      return unsignedToken(payload, kid);
    }
    const header = { alg: alg ?? signer.alg, typ: "JWT", ...(kid === null ? {} : { kid }) };
    const token = new SignJWT(payload).setProtectedHeader(header);
    if (alg?.startsWith("HS")) {
      const secret = mintOptions.secret ??
        new TextEncoder().encode(await exportSPKI(signer.publicKey));
      return await token.sign(secret);
    }

    return await token.sign(signer.privateKey);
  };

  return {
    issuer,
    jwksUrl,
    audience,
    get jwksRequests() {
      return jwksRequests;
    },
    get keys() {
      return keys.map(({ kid, alg, published }) => ({ kid, alg, published }));
    },
    mint,
    rotate: async (rotateOptions = {}) =>
      (await addKey(rotateOptions.alg ?? "RS256", rotateOptions.publish ?? true)).kid,
    publish: (kid) => {
      find(kid).published = true;
    },
    retire: (kid) => {
      find(kid).published = false;
    },
    publicKeyPem: (kid) => exportSPKI(find(kid).publicKey),
    close: () => server.shutdown(),
    [Symbol.asyncDispose]: () => server.shutdown(),
  };
}

/** Returns the claim overrides that the options set, leaving out the unset ones. */
function definedClaims(options: MintOptions): JWTPayload {
  const claims: Record<string, unknown> = {};
  for (const name of ["iss", "aud", "exp", "nbf", "iat"] as const) {
    if (options[name] !== undefined) {
      claims[name] = options[name];
    }
  }

  return claims;
}

/** Builds an unsecured JWT (RFC 7519 section 6): `alg` `none` and an empty signature. */
function unsignedToken(payload: JWTPayload, kid: string | null): string {
  const encode = (value: unknown) =>
    base64url.encode(new TextEncoder().encode(JSON.stringify(value)));
  const header = { alg: "none", typ: "JWT", ...(kid === null ? {} : { kid }) };

  return `${encode(header)}.${encode(payload)}.`;
}
