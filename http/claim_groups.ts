/**
 * The caller's groups from a claim of its token.
 *
 * @module
 */

import { isSystemUser } from "../objects/mod.ts";
import type { Caller } from "./caller.ts";
import type { GroupResolver } from "./router.ts";

const CLAIM_NAME_PATTERN = /^[A-Za-z0-9_.:-]{1,128}$/;

/**
 * Creates a {@linkcode GroupResolver} that reads the caller's groups from a claim, `groups` by
 * default, as Keycloak's group mapper adds it. A verified token's claim (`Caller.tokenClaims`) is
 * read as a list of strings. Without a verified token, the claim comes from `Caller.claims`, as
 * comma-separated text, which is how a gateway's `OIDC_CLAIM_groups` header carries a list. System
 * users belong to no group, and values that are not strings are ignored.
 *
 * In direct mode `Caller.claims` comes from the verified token too, so a client cannot add groups
 * with headers.
 *
 * @throws {TypeError} when the claim name is empty or has unusual characters.
 *
 * @example
 * ```ts
 * import { claimGroups } from "@hea/server/http";
 * import assert from "node:assert/strict";
 *
 * const groups = claimGroups("groups");
 * const request = new Request("http://localhost/");
 * const caller = { sub: "alice", claims: {}, tokenClaims: { groups: ["/*super-admin", "/research"] } };
 * assert.deepEqual(await groups(caller, request), ["/*super-admin", "/research"]);
 * assert.deepEqual(await groups({ sub: "bob", claims: { groups: "/a,/b" } }, request), ["/a", "/b"]);
 * ```
 */
export function claimGroups(claim = "groups"): GroupResolver {
  if (!CLAIM_NAME_PATTERN.test(claim)) {
    throw new TypeError(
      `Invalid claim name ${JSON.stringify(claim)}: use letters, digits and _ . : -`,
    );
  }

  return (caller: Caller): readonly string[] => {
    if (isSystemUser(caller.sub)) {
      return [];
    }

    const value = caller.tokenClaims ? caller.tokenClaims[claim] : caller.claims[claim];
    const entries = typeof value === "string"
      ? value.split(",")
      : Array.isArray(value)
      ? value
      : [];
    const groups = entries
      .filter((entry): entry is string => typeof entry === "string")
      .map((entry) => entry.trim())
      .filter((entry) => entry !== "");

    return [...new Set(groups)];
  };
}
