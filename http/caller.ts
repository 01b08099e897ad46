/**
 * The caller of a request, and how a service learns who it is.
 *
 * @module
 */

import { NONE_USER } from "../objects/mod.ts";
import { HttpError } from "./http_error.ts";

/** The sender of a request. */
export interface Caller {
  /** The user id (OIDC `sub`); `system|none` for anonymous requests. */
  readonly sub: string;
  /** The caller's OIDC claims by name, such as `email` and `preferred_username`. */
  readonly claims: Readonly<Record<string, string>>;
  /** The bearer token, for handlers that pass it on to other services; never log it. */
  readonly token?: string;
  /**
   * The claims of the bearer token with their JSON types (lists stay lists), present only when
   * `jwtAuthenticator` verified the token.
   */
  readonly tokenClaims?: Readonly<Record<string, unknown>>;
}

/** Learns the caller of a request, or throws an {@linkcode HttpError} with status 401. */
export type Authenticator = (request: Request) => Caller | Promise<Caller>;

const CLAIM_HEADER_PREFIX = "oidc_claim_";

/**
 * Reads the caller from the `OIDC_CLAIM_*` headers that HEA's gateway sets after it authenticates a
 * user: `OIDC_CLAIM_sub` is the user id, and a request without it comes from `system|none`. Use it
 * only behind a gateway that strips these headers from client requests, because anyone who reaches
 * the service directly can set them.
 *
 * @throws {HttpError} with status 400 when `OIDC_CLAIM_sub` is given more than once.
 *
 * @example
 * ```ts
 * import { gatewayAuthenticator } from "@hea/server/http";
 * import assert from "node:assert/strict";
 *
 * const caller = gatewayAuthenticator(new Request("http://localhost/", {
 *   headers: { OIDC_CLAIM_sub: "alice", OIDC_CLAIM_email: "alice@example.org" },
 * }));
 * assert.equal(caller.sub, "alice");
 * assert.equal(caller.claims.email, "alice@example.org");
 * assert.equal(gatewayAuthenticator(new Request("http://localhost/")).sub, "system|none");
 * ```
 */
export function gatewayAuthenticator(request: Request): Caller {
  const claims: Record<string, string> = {};
  for (const [name, value] of request.headers) {
    if (name.startsWith(CLAIM_HEADER_PREFIX)) {
      claims[name.slice(CLAIM_HEADER_PREFIX.length)] = value;
    }
  }

  const sub = claims.sub?.trim() || NONE_USER;
  // Headers joins repeated fields with ", ", and no user id contains that, so a comma means the
  // request named two callers.
  if (sub.includes(", ")) {
    throw new HttpError(400, "Invalid header OIDC_CLAIM_sub: give it once");
  }
  const authorization = request.headers.get("authorization");
  const token = authorization?.match(/^Bearer\s+(\S+)$/i)?.[1] ??
    new URL(request.url).searchParams.get("access_token") ?? undefined;

  return { sub, claims, ...(token ? { token } : {}) };
}
