/**
 * A router on URLPattern that builds each request's context, responds to OPTIONS and with 405 and `Allow`,
 * and maps every error to a response in one place.
 *
 * @module
 */

import { getLogger } from "@logtape/logtape";
import { PermissionContext } from "../objects/mod.ts";
import { type Authenticator, type Caller, gatewayAuthenticator } from "./caller.ts";
import { errorResponse } from "./error_response.ts";
import { HttpError } from "./http_error.ts";
import { externalBaseUrl, type RequestContext } from "./request_context.ts";
import {
  checkRequestLimits,
  limitRequestBody,
  type RequestLimits,
  resolveRequestLimits,
} from "./request_limits.ts";
import { methodNotAllowed } from "./responses.ts";

/** Handles a request: the web-standard request in, a response out. */
export type Handler = (request: Request, context: RequestContext) => Response | Promise<Response>;

/** Finds the groups of a caller, such as from HEA's people service. */
export type GroupResolver = (
  caller: Caller,
  request: Request,
) => readonly string[] | Promise<readonly string[]>;

/** Options of {@linkcode Router}. */
export interface RouterOptions {
  /** Learns the caller; defaults to {@linkcode gatewayAuthenticator}. */
  readonly authenticate?: Authenticator;
  /** Finds the caller's groups; by default callers are in no group. */
  readonly groups?: GroupResolver;
  /** The URL at which clients reach the service, unless forwarded headers give another. */
  readonly baseUrl?: string;
  /** Whether `X-Forwarded-*` headers come from a trusted proxy. Defaults to `true`, as behind HEA's gateway. */
  readonly trustForwardedHeaders?: boolean;
  /**
   * Limits on URL length, header size and body size, checked before authentication and before any
   * handler runs. Omitted limits take `DEFAULT_REQUEST_LIMITS`. Collections mounted with
   * `mountCollection` parse bodies with these limits unless they set `bodyLimits` themselves.
   */
  readonly limits?: RequestLimits;
}

/** Options of one route. */
export interface RouteOptions {
  /** The largest body the route accepts, in bytes, instead of the router's `maxBodyBytes`. */
  readonly maxBodyBytes?: number;
}

interface Route {
  readonly method: string;
  readonly pattern: URLPattern;
  readonly handler: Handler;
  readonly maxBodyBytes?: number;
}

const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;
const logger = getLogger(["hea", "http"]);

/**
 * Routes requests by method and URL path. Patterns use URLPattern syntax (`/components/:id`). A
 * path that matches with another method gets 405 with `Allow`; OPTIONS gets the allowed methods;
 * HEAD runs the GET handler without sending the body.
 *
 * @example Serve one route
 * ```ts
 * import { ok, Router } from "@hea/server/http";
 * import assert from "node:assert/strict";
 *
 * const router = new Router().get("/hello/:name", (_request, context) => ok(`Hello, ${context.params.name}`));
 * const response = await router.fetch(new Request("http://localhost/hello/world"));
 * assert.equal(await response.text(), "Hello, world");
 * assert.equal((await router.fetch(new Request("http://localhost/hello/x", { method: "DELETE" }))).status, 405);
 * ```
 */
export class Router {
  readonly #routes: Route[] = [];
  readonly #options: RouterOptions;
  readonly #limits: Required<RequestLimits>;

  /**
   * Creates a router with options for authentication, groups, base URLs and request limits.
   *
   * @throws {RangeError} when a request limit is not a positive integer.
   * @throws {TypeError} when the base URL is not an absolute http or https URL.
   */
  constructor(options: RouterOptions = {}) {
    if (options.baseUrl !== undefined) {
      checkBaseUrl(options.baseUrl);
    }
    this.#options = options;
    this.#limits = resolveRequestLimits(options.limits);
    this.fetch = this.fetch.bind(this);
  }

  /** The limits on requests, with defaults filled in; collections take their body limits from it. */
  get limits(): Readonly<Required<RequestLimits>> {
    return this.#limits;
  }

  /**
   * Adds a route for a method and a URLPattern path. `options.maxBodyBytes` replaces the router's
   * body limit for this route, such as for content uploads.
   */
  add(method: string, path: string, handler: Handler, options: RouteOptions = {}): this {
    this.#routes.push({
      method: method.toUpperCase(),
      pattern: new URLPattern({ pathname: path }),
      handler,
      ...(options.maxBodyBytes === undefined ? {} : { maxBodyBytes: options.maxBodyBytes }),
    });

    return this;
  }

  /** Adds a GET route. */
  get(path: string, handler: Handler, options?: RouteOptions): this {
    return this.add("GET", path, handler, options);
  }

  /** Adds a POST route. */
  post(path: string, handler: Handler, options?: RouteOptions): this {
    return this.add("POST", path, handler, options);
  }

  /** Adds a PUT route. */
  put(path: string, handler: Handler, options?: RouteOptions): this {
    return this.add("PUT", path, handler, options);
  }

  /** Adds a DELETE route. */
  delete(path: string, handler: Handler, options?: RouteOptions): this {
    return this.add("DELETE", path, handler, options);
  }

  /** Handles a request: the function to pass to `Deno.serve`. */
  async fetch(request: Request): Promise<Response> {
    const clientRequestId = request.headers.get("x-request-id");
    const requestId = clientRequestId && REQUEST_ID_PATTERN.test(clientRequestId)
      ? clientRequestId
      : crypto.randomUUID();

    let response: Response;
    try {
      // The body limit depends on the route, so it is checked once the route is known.
      checkRequestLimits(request, { ...this.#limits, maxBodyBytes: Number.MAX_SAFE_INTEGER });
      response = await this.#dispatch(request, requestId);
    } catch (error) {
      response = errorResponse(error, requestId);
    }

    if (response.status >= 500) {
      logger.error("{method} {path} returned {status} to request {requestId}", {
        method: request.method,
        path: new URL(request.url).pathname,
        status: response.status,
        requestId,
      });
    }
    return withHeader(response, "x-request-id", requestId);
  }

  async #dispatch(request: Request, requestId: string): Promise<Response> {
    const url = new URL(request.url);
    // Method names are case-sensitive (RFC 9110), so `get` is not GET and gets a 405.
    const method = request.method;
    const matches = this.#routes
      .map((route) => ({ route, match: route.pattern.exec({ pathname: url.pathname }) }))
      .filter((candidate) => candidate.match !== null);
    if (matches.length === 0) {
      throw new HttpError(404, `No resource at ${url.pathname}`);
    }

    const allowed = allowedMethods(matches.map((candidate) => candidate.route.method));
    if (method === "OPTIONS") {
      return new Response(null, { status: 200, headers: { allow: allowed.join(", ") } });
    }

    const lookup = method === "HEAD" ? "GET" : method;
    const chosen = matches.find((candidate) => candidate.route.method === lookup);
    if (!chosen?.match) {
      return methodNotAllowed(allowed);
    }

    const maxBodyBytes = chosen.route.maxBodyBytes ?? this.#limits.maxBodyBytes;
    checkRequestLimits(request, { ...this.#limits, maxBodyBytes });
    const limited = limitRequestBody(request, maxBodyBytes);
    const context = await this.#context(limited, url, chosen.match, requestId);
    const response = await chosen.route.handler(limited, context);
    if (method === "HEAD") {
      await response.body?.cancel();
      return new Response(null, { status: response.status, headers: response.headers });
    }

    return response;
  }

  async #context(
    request: Request,
    url: URL,
    match: URLPatternResult,
    requestId: string,
  ): Promise<RequestContext> {
    const caller = await (this.#options.authenticate ?? gatewayAuthenticator)(request);
    const groups = this.#options.groups ? await this.#options.groups(caller, request) : [];

    return {
      url: withoutAccessToken(url),
      params: decodeParams(match.pathname.groups),
      requestId,
      caller,
      permissions: new PermissionContext(caller.sub, groups),
      baseUrl: externalBaseUrl(request, {
        trustForwardedHeaders: this.#options.trustForwardedHeaders ?? true,
        baseUrl: this.#options.baseUrl,
      }),
    };
  }
}

function checkBaseUrl(baseUrl: string): void {
  let protocol = "";
  try {
    protocol = new URL(baseUrl).protocol;
  } catch {
    // Reported below with the value and the fix.
  }
  if (protocol !== "http:" && protocol !== "https:") {
    throw new TypeError(
      `Invalid base URL ${
        JSON.stringify(baseUrl)
      }: use an absolute http or https URL such as https://hea.example.org`,
    );
  }
}

/** Sets a header, copying the response when its headers are immutable (as for `Response.redirect`). */
function withHeader(response: Response, name: string, value: string): Response {
  try {
    response.headers.set(name, value);
    return response;
  } catch {
    const copy = new Response(response.body, response);
    copy.headers.set(name, value);
    return copy;
  }
}

/**
 * Removes the `access_token` query parameter, because documents copy the request URL into their
 * links and the token must not come back in a response.
 */
function withoutAccessToken(url: URL): URL {
  if (!url.searchParams.has("access_token")) {
    return url;
  }

  const copy = new URL(url);
  copy.searchParams.delete("access_token");
  return copy;
}

function allowedMethods(methods: string[]): string[] {
  const allowed = new Set(methods);
  if (allowed.has("GET")) {
    allowed.add("HEAD");
  }
  allowed.add("OPTIONS");

  return [...allowed];
}

function decodeParams(groups: Record<string, string | undefined>): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [name, value] of Object.entries(groups)) {
    if (value === undefined) {
      continue;
    }
    try {
      params[name] = decodeURIComponent(value);
    } catch {
      throw new HttpError(400, `Invalid percent-encoding in the URL path parameter ${name}`);
    }
  }

  return params;
}
