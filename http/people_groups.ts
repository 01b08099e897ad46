/**
 * The caller's groups from HEA's people service, cached per user for a short time.
 *
 * @module
 */

import { getLogger } from "@logtape/logtape";
import { isSystemUser } from "../objects/mod.ts";
import type { Caller } from "./caller.ts";
import { HttpError } from "./http_error.ts";
import { RateLimitedErrorLog } from "./_rate_limited_log.ts";
import type { GroupResolver } from "./router.ts";

/** Options of {@linkcode peopleServiceGroups}. */
export interface PeopleServiceGroupsOptions {
  /** The base URL of the people service, such as `http://heaserver-people:8080`. */
  readonly peopleUrl: string;
  /**
   * The path of a user's groups below `peopleUrl`, with `{sub}` where the percent-encoded user id
   * goes. Defaults to `/people/{sub}/groups`; newer people services also serve
   * `/people/{sub}/groupviews`.
   */
  readonly path?: string;
  /** How long a user's groups are reused before they are fetched again, in seconds. Defaults to 60. */
  readonly cacheTtlSeconds?: number;
  /** The maximum number of users whose groups are cached; the oldest entry goes first. Defaults to 1000. */
  readonly cacheMaxEntries?: number;
  /** How long to wait for the people service, in seconds. Defaults to 5. */
  readonly timeoutSeconds?: number;
  /** The `Retry-After` of the 503 sent when the people service fails, in seconds. Defaults to 10. */
  readonly retryAfterSeconds?: number;
  /** The fetch function; tests replace it. Defaults to the global `fetch`. */
  readonly fetch?: (request: Request) => Promise<Response>;
}

interface CacheEntry {
  readonly groups: readonly string[];
  readonly expiresAt: number;
}

const logger = getLogger(["hea", "http", "auth"]);
const FAILURE_LOG_INTERVAL_MS = 10_000;

/**
 * Creates a {@linkcode GroupResolver} that requests the caller's groups from HEA's people service:
 * `GET {peopleUrl}/people/{sub}/groups` with the user id in `OIDC_CLAIM_sub` and the caller's
 * bearer token, if any, in `Authorization`. The service responds with a JSON list whose elements are
 * group paths (`"/research"`) or group objects with a `group` attribute, as HEA's `Group` and
 * `GroupView` objects have; both forms are read. A 404 means the user belongs to no group.
 *
 * System users, and the ids `.` and `..` that cannot be a path segment, belong to no group and
 * cause no request. Groups are cached per user for `cacheTtlSeconds`, and concurrent requests of
 * one user share one lookup. When the people service fails, times out or responds with something
 * else, the request gets a 503 with `Retry-After`, and the failure is logged (at most once per 10
 * seconds, with the count of failures in between).
 *
 * @throws {TypeError} naming the option when the options are invalid.
 *
 * @example Groups from a people service on loopback
 * ```ts
 * import { peopleServiceGroups } from "@hea/server/http";
 * import assert from "node:assert/strict";
 *
 * await using people = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, () =>
 *   Response.json([{ type: "heaobject.person.Group", group: "/*super-admin" }, "/research"])
 * );
 * const groups = peopleServiceGroups({ peopleUrl: `http://127.0.0.1:${people.addr.port}` });
 * const request = new Request("http://localhost/components");
 * assert.deepEqual(await groups({ sub: "alice", claims: {} }, request), ["/*super-admin", "/research"]);
 * assert.deepEqual(await groups({ sub: "system|none", claims: {} }, request), []);
 * ```
 */
export function peopleServiceGroups(options: PeopleServiceGroupsOptions): GroupResolver {
  const base = checkBaseUrl(options.peopleUrl);
  const path = options.path ?? "/people/{sub}/groups";
  if (!path.startsWith("/") || !path.includes("{sub}")) {
    throw new TypeError(
      `Invalid option path: ${JSON.stringify(path)}; start it with / and include {sub}`,
    );
  }
  const ttlMs = checkNumber("cacheTtlSeconds", options.cacheTtlSeconds ?? 60, 0, 86400) * 1000;
  const maxEntries = checkNumber("cacheMaxEntries", options.cacheMaxEntries ?? 1000, 1, 1_000_000);
  const timeoutMs = checkNumber("timeoutSeconds", options.timeoutSeconds ?? 5, 0.001, 300) * 1000;
  const retryAfter = String(
    Math.ceil(checkNumber("retryAfterSeconds", options.retryAfterSeconds ?? 10, 0, 3600)),
  );
  const send = options.fetch ?? ((request: Request) => fetch(request));

  const cache = new Map<string, CacheEntry>();
  const pending = new Map<string, Promise<readonly string[]>>();
  const failures = new RateLimitedErrorLog(logger, FAILURE_LOG_INTERVAL_MS);

  const lookup = async (caller: Caller): Promise<readonly string[]> => {
    const url = `${base}${path.replaceAll("{sub}", encodeURIComponent(caller.sub))}`;
    const headers: Record<string, string> = {
      accept: "application/json",
      OIDC_CLAIM_sub: caller.sub,
    };
    if (caller.token) {
      headers.authorization = `Bearer ${caller.token}`;
    }

    let groups: readonly string[];
    try {
      const response = await send(
        new Request(url, { headers, signal: AbortSignal.timeout(timeoutMs) }),
      );
      groups = await readGroups(response);
    } catch (error) {
      failures.error(
        "Reading the groups of {sub} from the people service failed ({suppressed} more failures since the last report): {error}",
        { sub: caller.sub, error },
      );
      throw new HttpError(
        503,
        "The service cannot read your groups right now; retry after the time in Retry-After",
        { headers: { "retry-after": retryAfter }, cause: error },
      );
    }

    if (ttlMs > 0) {
      if (cache.size >= maxEntries) {
        cache.delete(cache.keys().next().value as string);
      }
      cache.set(caller.sub, { groups, expiresAt: Date.now() + ttlMs });
    }
    return groups;
  };

  return (caller: Caller): readonly string[] | Promise<readonly string[]> => {
    if (isSystemUser(caller.sub)) {
      return [];
    }
    // encodeURIComponent keeps dots, and URL parsing removes `.` and `..` segments, so these ids
    // would turn `/people/../groups` into `/groups`, the list of every group.
    if (caller.sub === "." || caller.sub === "..") {
      return [];
    }

    const cached = cache.get(caller.sub);
    if (cached && cached.expiresAt > Date.now()) {
      return cached.groups;
    }
    cache.delete(caller.sub);

    let inFlight = pending.get(caller.sub);
    if (!inFlight) {
      inFlight = lookup(caller).finally(() => pending.delete(caller.sub));
      pending.set(caller.sub, inFlight);
    }
    return inFlight;
  };
}

/** Reads the group paths from the people service's response, or throws to make the request a 503. */
async function readGroups(response: Response): Promise<readonly string[]> {
  if (response.status === 404) {
    await response.body?.cancel();
    return [];
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new Error(`The people service responded with status ${response.status}`);
  }

  const json: unknown = await response.json();
  if (!Array.isArray(json)) {
    throw new Error("The people service responded with something other than a JSON list");
  }

  const groups = json.map((element, index) => {
    if (typeof element === "string" && element !== "") {
      return element;
    }
    if (
      typeof element === "object" && element !== null && typeof element.group === "string" &&
      element.group !== ""
    ) {
      return element.group as string;
    }
    throw new Error(
      `Element ${index} of the people service's response is neither a group path nor a group object`,
    );
  });

  return Object.freeze([...new Set(groups)]);
}

function checkBaseUrl(peopleUrl: string): string {
  let url: URL;
  try {
    url = new URL(peopleUrl);
  } catch {
    throw new TypeError(
      `Invalid option peopleUrl: ${JSON.stringify(peopleUrl)} is not an absolute URL`,
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new TypeError(`Invalid option peopleUrl: ${url.protocol} is not http or https`);
  }

  return url.href.replace(/\/+$/, "");
}

function checkNumber(name: string, value: number, min: number, max: number): number {
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new TypeError(`Invalid option ${name}: ${value}; use a number from ${min} to ${max}`);
  }

  return value;
}
