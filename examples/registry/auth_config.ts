/**
 * The registry's authentication and group settings, read from command-line flags and environment
 * variables.
 *
 * @module
 */

import {
  type Authenticator,
  claimGroups,
  type ConfigSources,
  type GroupResolver,
  jwtAuthenticator,
  peopleServiceGroups,
  readConfigValue,
} from "../../mod.ts";

/** The command-line flags about authentication; each overrides its environment variable. */
export interface AuthFlags {
  /** `gateway` or `jwt`; else `HEA_AUTH_MODE`, else `gateway`. */
  readonly auth?: string | undefined;
  /** The issuer's key set URL; else `HEA_OIDC_JWKS_URL`. */
  readonly "jwks-url"?: string | undefined;
  /** The expected `iss`; else `HEA_OIDC_ISSUER`. */
  readonly issuer?: string | undefined;
  /** The expected `aud`, comma-separated for several; else `HEA_OIDC_AUDIENCE`. */
  readonly audience?: string | undefined;
  /** The accepted algorithms, comma-separated; else `HEA_OIDC_ALGORITHMS`, else `RS256,ES256`. */
  readonly algorithms?: string | undefined;
  /** Whether requests without a token come from `system|none`; else `HEA_OIDC_ALLOW_ANONYMOUS`. */
  readonly "allow-anonymous"?: boolean | undefined;
  /** The people service's URL for groups; else `HEA_PEOPLE_URL`. */
  readonly "people-url"?: string | undefined;
  /** The token claim that lists groups; else `HEA_GROUPS_CLAIM`. */
  readonly "groups-claim"?: string | undefined;
}

/** The result of {@linkcode loadRegistryAuth}: the router's options and a summary for the log. */
export interface RegistryAuth {
  /** The authenticator, absent in gateway mode, where the router's default reads the headers. */
  readonly authenticate?: Authenticator;
  /** The group resolver, absent when callers are in no group. */
  readonly groups?: GroupResolver;
  /** A summary without secrets, such as `jwt (issuer http://...); groups from the people service`. */
  readonly summary: string;
}

/** The help text of the flags, for the service's usage message. */
export const AUTH_USAGE: string =
  `  --auth MODE        gateway (default): trust the OIDC_CLAIM_* headers of HEA's gateway;
                     jwt: verify bearer tokens here (HEA_AUTH_MODE)
  --jwks-url URL     jwt: the issuer's JSON Web Key Set (HEA_OIDC_JWKS_URL)
  --issuer URL       jwt: the expected iss claim (HEA_OIDC_ISSUER)
  --audience AUD     jwt: the expected aud claim, comma-separated for several (HEA_OIDC_AUDIENCE)
  --algorithms LIST  jwt: accepted signature algorithms (HEA_OIDC_ALGORITHMS, default RS256,ES256)
  --allow-anonymous  jwt: serve requests without a token as system|none (HEA_OIDC_ALLOW_ANONYMOUS)
  --people-url URL   read groups from the people service (HEA_PEOPLE_URL)
  --groups-claim C   read groups from this token or gateway claim (HEA_GROUPS_CLAIM)
  Each variable may instead name a file in NAME_FILE, as mounted secrets are.`;

/**
 * Builds the registry's authenticator and group resolver from flags, falling back to environment
 * variables or the files that `NAME_FILE` variables name.
 *
 * @throws {Error} naming the flag and its variable when a setting is missing or invalid.
 *
 * @example Gateway mode with groups from the people service
 * ```ts
 * import { loadRegistryAuth } from "./auth_config.ts";
 * import assert from "node:assert/strict";
 *
 * const auth = await loadRegistryAuth({ "people-url": "http://127.0.0.1:8087" }, { env: () => undefined });
 * assert.equal(auth.authenticate, undefined);
 * assert.equal(auth.summary, "gateway; groups from the people service at http://127.0.0.1:8087");
 * ```
 */
export async function loadRegistryAuth(
  flags: AuthFlags,
  sources: ConfigSources = {},
): Promise<RegistryAuth> {
  const setting = async (flag: keyof AuthFlags, variable: string): Promise<string | undefined> => {
    const value = flags[flag];
    return typeof value === "string" && value !== ""
      ? value
      : await readConfigValue(variable, sources);
  };

  const mode = (await setting("auth", "HEA_AUTH_MODE")) ?? "gateway";
  if (mode !== "gateway" && mode !== "jwt") {
    throw new Error(`Invalid --auth ${JSON.stringify(mode)} (HEA_AUTH_MODE): use gateway or jwt`);
  }

  const groups = groupResolver(
    await setting("people-url", "HEA_PEOPLE_URL"),
    await setting("groups-claim", "HEA_GROUPS_CLAIM"),
  );
  if (mode === "gateway") {
    return {
      ...(groups.groups ? { groups: groups.groups } : {}),
      summary: `gateway; ${groups.summary}`,
    };
  }

  const required = async (flag: keyof AuthFlags, variable: string): Promise<string> => {
    const value = await setting(flag, variable);
    if (value === undefined) {
      throw new Error(`--auth jwt needs --${flag} or ${variable}`);
    }
    return value;
  };
  const issuer = await required("issuer", "HEA_OIDC_ISSUER");
  const anonymous = flags["allow-anonymous"] === true ||
    (await readConfigValue("HEA_OIDC_ALLOW_ANONYMOUS", sources)) === "true";
  const authenticate = jwtAuthenticator({
    jwksUrl: await required("jwks-url", "HEA_OIDC_JWKS_URL"),
    issuer,
    audience: list(await required("audience", "HEA_OIDC_AUDIENCE")),
    algorithms: list((await setting("algorithms", "HEA_OIDC_ALGORITHMS")) ?? "RS256,ES256"),
    required: !anonymous,
  });

  return {
    authenticate,
    ...(groups.groups ? { groups: groups.groups } : {}),
    summary: `jwt (issuer ${issuer}${anonymous ? ", anonymous allowed" : ""}); ${groups.summary}`,
  };
}

function groupResolver(
  peopleUrl: string | undefined,
  claim: string | undefined,
): { groups?: GroupResolver; summary: string } {
  if (peopleUrl !== undefined && claim !== undefined) {
    throw new Error(
      "Set either --people-url (HEA_PEOPLE_URL) or --groups-claim (HEA_GROUPS_CLAIM), not both",
    );
  }
  if (peopleUrl !== undefined) {
    const groups = peopleServiceGroups({ peopleUrl });
    // The summary is logged, so it leaves out any user name and password in the URL.
    const url = new URL(peopleUrl);
    return {
      groups,
      summary: `groups from the people service at ${url.origin}${url.pathname.replace(/\/$/, "")}`,
    };
  }
  if (claim !== undefined) {
    return { groups: claimGroups(claim), summary: `groups from the ${claim} claim` };
  }

  return { summary: "no groups" };
}

function list(value: string): string[] {
  return value.split(",").map((entry) => entry.trim()).filter((entry) => entry !== "");
}
