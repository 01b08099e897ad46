/**
 * Direct authentication: the service verifies the caller's OIDC access token itself, for services
 * that clients reach without HEA's gateway in front.
 *
 * @module
 */

import { getLogger } from "@logtape/logtape";
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  errors,
  type JSONWebKeySet,
  type JWTPayload,
  jwtVerify,
  type JWTVerifyGetKey,
} from "jose";
import { isSystemUser, NONE_USER } from "../objects/mod.ts";
import type { Authenticator, Caller } from "./caller.ts";
import { HttpError } from "./http_error.ts";
import { RateLimitedErrorLog } from "./_rate_limited_log.ts";

/** A JSON Web Key Set (RFC 7517) of public keys, as an issuer publishes it at its `jwks_uri`. */
export interface PublicKeySet {
  /** The keys: JWK objects with `kty`, and usually `kid`, `alg` and `use`. */
  readonly keys: readonly Readonly<Record<string, unknown>>[];
}

/** Options of {@linkcode jwtAuthenticator}. Give either `jwksUrl` or `keys`. */
export interface JwtAuthenticatorOptions {
  /** The URL of the issuer's JSON Web Key Set, such as `jwks_uri` of its OpenID configuration. */
  readonly jwksUrl?: string | URL;
  /** The issuer's public keys, for deployments that configure them instead of fetching them. */
  readonly keys?: PublicKeySet;
  /** The expected `iss` claim, compared exactly. */
  readonly issuer: string;
  /** The expected `aud` claim: the token must name at least one of these. */
  readonly audience: string | readonly string[];
  /**
   * The signature algorithms to accept, such as `["RS256", "ES256"]`. Required, so that the token's
   * header cannot choose the algorithm. Only asymmetric algorithms are allowed.
   */
  readonly algorithms: readonly string[];
  /** How far clocks may differ when checking `exp` and `nbf`, in seconds. Defaults to 30. */
  readonly clockToleranceSeconds?: number;
  /**
   * Whether every request needs a token. Defaults to `true`. When `false`, a request without a
   * token comes from `system|none`, but an invalid token is still rejected.
   */
  readonly required?: boolean;
  /**
   * The minimum time between two fetches of the key set that tokens with an unknown `kid` cause,
   * in seconds, so a flood of such tokens cannot flood the issuer. Defaults to 30.
   */
  readonly jwksRefreshCooldownSeconds?: number;
  /** How long fetched keys are used before they are fetched again, in seconds. Defaults to 600. */
  readonly jwksMaxAgeSeconds?: number;
  /** How long to wait for the key set, in seconds. Defaults to 5. */
  readonly jwksTimeoutSeconds?: number;
  /** The `realm` of the `WWW-Authenticate` challenge; omitted when unset. */
  readonly realm?: string;
  /** The `Retry-After` of the 503 sent when the key set cannot be fetched, in seconds. Defaults to 10. */
  readonly retryAfterSeconds?: number;
}

/**
 * The algorithms {@linkcode jwtAuthenticator} can accept. Symmetric ones (`HS256`...) are absent:
 * the issuer publishes public keys, and a verifier that accepted HMAC could be fooled by a token
 * whose HMAC key is the issuer's public key.
 *
 * @example
 * ```ts
 * import { ASYMMETRIC_JWT_ALGORITHMS } from "@hea/server/http";
 * import assert from "node:assert/strict";
 *
 * assert.ok(ASYMMETRIC_JWT_ALGORITHMS.includes("RS256"));
 * assert.ok(!ASYMMETRIC_JWT_ALGORITHMS.includes("HS256"));
 * ```
 */
export const ASYMMETRIC_JWT_ALGORITHMS: readonly string[] = Object.freeze([
  "RS256",
  "RS384",
  "RS512",
  "PS256",
  "PS384",
  "PS512",
  "ES256",
  "ES384",
  "ES512",
  "EdDSA",
  "Ed25519",
]);

/** RFC 6750 `b64token`: the characters a bearer token may contain. */
const B64TOKEN_PATTERN = /^[A-Za-z0-9\-._~+/]+=*$/;
const DEFAULT_CLOCK_TOLERANCE_SECONDS = 30;
const MAX_CLOCK_TOLERANCE_SECONDS = 300;
const OUTAGE_LOG_INTERVAL_MS = 10_000;
const logger = getLogger(["hea", "http", "auth"]);

/** The consequences of a failure to load the issuer's keys: the 503's `Retry-After`, and a log entry. */
interface KeysUnavailable {
  readonly retryAfter: string;
  readonly log: RateLimitedErrorLog;
}

/**
 * Creates an {@linkcode Authenticator} that verifies the bearer token of each request, sent in
 * `Authorization: Bearer` or in the `access_token` query parameter, with `jose`: the signature
 * against the issuer's keys with an allowed algorithm, and the `iss`, `aud`, `exp` and `nbf`
 * claims. The caller is the token's `sub`, and `OIDC_CLAIM_*` headers are ignored, so a client
 * cannot claim to be someone else.
 *
 * A remote key set is cached. A token with an unknown `kid` makes it fetch the set again, at most
 * once per `jwksRefreshCooldownSeconds`, which picks up rotated keys.
 *
 * Rejections follow RFC 6750: 401 with `WWW-Authenticate: Bearer` when a required token is missing,
 * 401 with `error="invalid_token"` when a token is invalid, and 400 with `error="invalid_request"`
 * when a request sends a token twice or an empty one. When the key set cannot be fetched the
 * response is 503 with `Retry-After`. Neither the response nor the log shows the token.
 *
 * @throws {TypeError} naming the option when the options are invalid.
 *
 * @example Verify a token from the local test issuer
 * ```ts
 * import { jwtAuthenticator } from "@hea/server/http";
 * import { startOidcIssuer } from "@hea/server/testing";
 * import assert from "node:assert/strict";
 *
 * await using issuer = await startOidcIssuer();
 * const authenticate = jwtAuthenticator({
 *   jwksUrl: issuer.jwksUrl,
 *   issuer: issuer.issuer,
 *   audience: issuer.audience,
 *   algorithms: ["RS256", "ES256"],
 * });
 * const token = await issuer.mint({ sub: "alice" });
 * const caller = await authenticate(new Request("http://localhost/", {
 *   headers: { authorization: `Bearer ${token}`, OIDC_CLAIM_sub: "mallory" },
 * }));
 * assert.equal(caller.sub, "alice");
 * await assert.rejects(Promise.resolve(authenticate(new Request("http://localhost/"))), { status: 401 });
 * ```
 */
export function jwtAuthenticator(options: JwtAuthenticatorOptions): Authenticator {
  const algorithms = checkAlgorithms(options.algorithms);
  const audience = checkAudience(options.audience);
  const clockTolerance = checkSeconds(
    "clockToleranceSeconds",
    options.clockToleranceSeconds ?? DEFAULT_CLOCK_TOLERANCE_SECONDS,
    MAX_CLOCK_TOLERANCE_SECONDS,
  );
  if (typeof options.issuer !== "string" || options.issuer === "") {
    throw new TypeError("Invalid option issuer: set it to the issuer URL that tokens carry in iss");
  }
  const keys = keyResolver(options);
  const challenge = new Challenge(options.realm);
  const required = options.required ?? true;
  const unavailable: KeysUnavailable = {
    retryAfter: String(checkSeconds("retryAfterSeconds", options.retryAfterSeconds ?? 10, 3600)),
    log: new RateLimitedErrorLog(logger, OUTAGE_LOG_INTERVAL_MS),
  };

  return async (request: Request): Promise<Caller> => {
    const token = bearerToken(request, challenge);
    if (token === undefined) {
      if (required) {
        throw challenge.missing();
      }
      return { sub: NONE_USER, claims: {} };
    }

    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys, {
        algorithms: [...algorithms],
        issuer: options.issuer,
        audience: [...audience],
        clockTolerance,
        requiredClaims: ["exp", "sub"],
      }));
    } catch (error) {
      throw rejection(error, challenge, algorithms, unavailable);
    }

    const sub = payload.sub;
    if (typeof sub !== "string" || sub.trim() === "") {
      throw challenge.invalidToken(
        "The access token has no sub claim; get a token that names the user",
      );
    }
    if (isSystemUser(sub)) {
      logger.debug("Rejected a bearer token whose sub names a system user");
      throw challenge.invalidToken(
        "The access token's sub names a system user, which tokens cannot act as",
      );
    }

    return {
      sub,
      claims: stringClaims(payload),
      token,
      tokenClaims: Object.freeze({ ...payload }),
    };
  };
}

/** Builds the `WWW-Authenticate` challenges of RFC 6750. */
class Challenge {
  readonly #prefix: string;

  constructor(realm: string | undefined) {
    this.#prefix = realm === undefined ? "Bearer" : `Bearer realm="${quotable(realm)}"`;
  }

  /** Returns the challenge to a request without credentials, which RFC 6750 section 3.1 sends without an error code. */
  missing(): HttpError {
    return new HttpError(
      401,
      "This service needs a bearer token; send Authorization: Bearer TOKEN",
      {
        headers: { "www-authenticate": this.#prefix },
      },
    );
  }

  invalidToken(description: string): HttpError {
    return this.#error(401, "invalid_token", description);
  }

  invalidRequest(description: string): HttpError {
    return this.#error(400, "invalid_request", description);
  }

  #error(status: number, code: string, description: string): HttpError {
    const separator = this.#prefix === "Bearer" ? " " : ", ";
    const header = `${this.#prefix}${separator}error="${code}", error_description="${
      quotable(description)
    }"`;
    return new HttpError(status, description, { headers: { "www-authenticate": header } });
  }
}

/**
 * Returns the request's bearer token, or `undefined` when it sends none. An `Authorization` header
 * with another scheme counts as no token.
 */
function bearerToken(request: Request, challenge: Challenge): string | undefined {
  const fromHeader = headerToken(request.headers.get("authorization"), challenge);
  const fromQuery = new URL(request.url).searchParams.getAll("access_token");

  if (fromQuery.length > 1) {
    throw challenge.invalidRequest(
      "The access_token query parameter appears more than once; send it once",
    );
  }
  if (fromHeader !== undefined && fromQuery.length > 0) {
    // RFC 6750 section 2 allows one way of sending the token per request.
    throw challenge.invalidRequest(
      "The token is in both the Authorization header and the access_token query parameter; send it once",
    );
  }

  const token = fromHeader ?? fromQuery[0];
  if (token === undefined) {
    return undefined;
  }
  if (token === "") {
    throw challenge.invalidRequest("The access_token query parameter is empty; send a token");
  }
  if (!B64TOKEN_PATTERN.test(token)) {
    logger.debug("Rejected a bearer token with characters outside RFC 6750's b64token");
    throw challenge.invalidToken("The access token is malformed");
  }

  return token;
}

function headerToken(header: string | null, challenge: Challenge): string | undefined {
  if (header === null) {
    return undefined;
  }
  const match = /^Bearer(?:[ \t]+(.*))?$/i.exec(header.trim());
  if (!match) {
    return undefined;
  }

  const token = match[1]?.trim() ?? "";
  if (token === "") {
    throw challenge.invalidRequest("The Authorization header has the Bearer scheme but no token");
  }

  return token;
}

/** Maps a verification failure to the response, logging the reason without the token. */
function rejection(
  error: unknown,
  challenge: Challenge,
  algorithms: readonly string[],
  unavailable: KeysUnavailable,
): HttpError {
  const description = invalidTokenDescription(error, algorithms);
  if (description !== undefined) {
    logger.debug("Rejected a bearer token: {reason} ({code})", {
      reason: description,
      code: error instanceof errors.JOSEError ? error.code : "unknown",
    });
    return challenge.invalidToken(description);
  }

  // Anything else means the keys could not be loaded: a timeout, a refused connection or an
  // invalid key set. That is the issuer's fault, not the client's, so the response is 503.
  unavailable.log.error(
    "Cannot verify bearer tokens because the issuer's keys are unavailable ({suppressed} more failures since the last report): {error}",
    { error },
  );
  return new HttpError(
    503,
    "The service cannot verify access tokens right now; retry after the time in Retry-After",
    { headers: { "retry-after": unavailable.retryAfter }, cause: error },
  );
}

function invalidTokenDescription(
  error: unknown,
  algorithms: readonly string[],
): string | undefined {
  if (error instanceof errors.JWTExpired) {
    return "The access token expired; get a new one";
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    return claimDescription(error.claim, error.reason);
  }
  if (error instanceof errors.JOSEAlgNotAllowed) {
    return `The access token's signature algorithm is not accepted; use one of ${
      algorithms.join(", ")
    }`;
  }
  if (error instanceof errors.JWKSNoMatchingKey) {
    return "The access token is signed with an unknown key";
  }
  if (error instanceof errors.JWKSMultipleMatchingKeys) {
    return "The access token matches several keys; it needs a kid header";
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return "The access token's signature is invalid";
  }
  if (
    error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid ||
    error instanceof errors.JOSENotSupported
  ) {
    return "The access token is malformed";
  }

  return undefined;
}

function claimDescription(claim: string, reason: string): string {
  if (reason === "missing") {
    return `The access token has no ${claim} claim; get a token that has one`;
  }
  switch (claim) {
    case "iss":
      return "The access token comes from another issuer";
    case "aud":
      return "The access token is for another audience";
    case "nbf":
      return "The access token is not valid yet";
    default:
      return `The access token's ${claim} claim is invalid`;
  }
}

function keyResolver(options: JwtAuthenticatorOptions): JWTVerifyGetKey {
  if ((options.jwksUrl === undefined) === (options.keys === undefined)) {
    throw new TypeError("Invalid options: give exactly one of jwksUrl and keys");
  }
  if (options.keys !== undefined) {
    const keys = options.keys.keys;
    if (
      !Array.isArray(keys) || keys.length === 0 || keys.some((key) => typeof key?.kty !== "string")
    ) {
      throw new TypeError(
        'Invalid option keys: give a JSON Web Key Set such as { "keys": [{ "kty": ... }] }',
      );
    }
    return createLocalJWKSet(options.keys as unknown as JSONWebKeySet);
  }

  let url: URL;
  try {
    url = new URL(options.jwksUrl as string | URL);
  } catch {
    throw new TypeError("Invalid option jwksUrl: give an absolute http or https URL");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new TypeError(`Invalid option jwksUrl: ${url.protocol} is not http or https`);
  }

  return createRemoteJWKSet(url, {
    cooldownDuration:
      checkSeconds("jwksRefreshCooldownSeconds", options.jwksRefreshCooldownSeconds ?? 30, 86400) *
      1000,
    cacheMaxAge: checkSeconds("jwksMaxAgeSeconds", options.jwksMaxAgeSeconds ?? 600, 86400 * 7) *
      1000,
    timeoutDuration: checkSeconds("jwksTimeoutSeconds", options.jwksTimeoutSeconds ?? 5, 120) *
      1000,
  });
}

function checkAlgorithms(algorithms: readonly string[] | undefined): readonly string[] {
  if (!Array.isArray(algorithms) || algorithms.length === 0) {
    throw new TypeError(
      'Invalid option algorithms: list the accepted algorithms, such as ["RS256"]',
    );
  }
  for (const algorithm of algorithms) {
    if (typeof algorithm === "string" && algorithm.toLowerCase() === "none") {
      throw new TypeError('Invalid option algorithms: "none" accepts unsigned tokens; remove it');
    }
    if (!ASYMMETRIC_JWT_ALGORITHMS.includes(algorithm)) {
      throw new TypeError(
        `Invalid option algorithms: ${JSON.stringify(algorithm)} is not accepted; use some of ${
          ASYMMETRIC_JWT_ALGORITHMS.join(", ")
        }`,
      );
    }
  }

  return Object.freeze([...new Set(algorithms)]);
}

function checkAudience(audience: string | readonly string[] | undefined): readonly string[] {
  const list = typeof audience === "string" ? [audience] : audience;
  if (
    !Array.isArray(list) || list.length === 0 ||
    list.some((entry) => typeof entry !== "string" || entry === "")
  ) {
    throw new TypeError(
      "Invalid option audience: give the client id or API name that tokens carry in aud",
    );
  }

  return list;
}

function checkSeconds(name: string, value: number, max: number): number {
  if (!Number.isFinite(value) || value < 0 || value > max) {
    throw new TypeError(
      `Invalid option ${name}: ${value}; use a number of seconds from 0 to ${max}`,
    );
  }

  return value;
}

/**
 * Returns the claims as strings, the form the gateway's `OIDC_CLAIM_*` headers have: numbers and
 * booleans as text, lists of strings joined with commas. Objects are left out.
 */
function stringClaims(payload: JWTPayload): Record<string, string> {
  const claims: Record<string, string> = {};
  for (const [name, value] of Object.entries(payload)) {
    if (typeof value === "string") {
      claims[name] = value;
    } else if (typeof value === "number" || typeof value === "boolean") {
      claims[name] = String(value);
    } else if (Array.isArray(value) && value.every((element) => typeof element === "string")) {
      claims[name] = value.join(",");
    }
  }

  return claims;
}

/** Keeps only the characters that RFC 6750 allows in a quoted parameter of the challenge. */
function quotable(text: string): string {
  return text.replace(/[^\x20\x21\x23-\x5B\x5D-\x7E]/g, "");
}
