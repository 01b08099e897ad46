/**
 * The context of a request that a handler receives beside the request itself.
 *
 * @module
 */

import type { PermissionContext } from "../objects/mod.ts";
import type { Caller } from "./caller.ts";

/** The context of one request, built by the router before the handler runs. */
export interface RequestContext {
  /** The request URL, parsed. */
  readonly url: URL;
  /** The route's parameters, percent-decoded. */
  readonly params: Readonly<Record<string, string>>;
  /** The request id: the client's `X-Request-Id` when it is well formed, else a new UUID. */
  readonly requestId: string;
  /** The sender of the request. */
  readonly caller: Caller;
  /** The caller's permissions. */
  readonly permissions: PermissionContext;
  /**
   * The URL at which clients reach the service, without a trailing slash: from the
   * `X-Forwarded-Proto`, `-Host` and `-Prefix` headers when the service trusts them, else from the
   * configured base URL, else from the request.
   */
  readonly baseUrl: string;
}

const HOST_PATTERN = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;
const PREFIX_PATTERN = /^(\/[A-Za-z0-9._~!$&'()*+,;=:@%-]+)+\/?$/;

/**
 * Returns the external base URL of a request. Forwarded headers that are malformed are ignored, so
 * a client cannot inject a URL into the links of a document.
 *
 * @example Behind a gateway
 * ```ts
 * import { externalBaseUrl } from "@hea/server/http";
 * import assert from "node:assert/strict";
 *
 * const request = new Request("http://10.0.0.5:8080/components", {
 *   headers: { "x-forwarded-host": "hea.example.org", "x-forwarded-proto": "https", "x-forwarded-prefix": "/api" },
 * });
 * assert.equal(externalBaseUrl(request, { trustForwardedHeaders: true }), "https://hea.example.org/api");
 * assert.equal(externalBaseUrl(request, { trustForwardedHeaders: false }), "http://10.0.0.5:8080");
 * ```
 */
export function externalBaseUrl(
  request: Request,
  options: { trustForwardedHeaders: boolean; baseUrl?: string | undefined },
): string {
  const url = new URL(request.url);
  const configured = options.baseUrl?.replace(/\/+$/, "");
  if (!options.trustForwardedHeaders) {
    return configured ?? url.origin;
  }

  const host = firstValue(request.headers.get("x-forwarded-host"));
  const proto = firstValue(request.headers.get("x-forwarded-proto"))?.toLowerCase();
  const prefix = firstValue(request.headers.get("x-forwarded-prefix"));
  if (!host && !proto && !prefix) {
    return configured ?? url.origin;
  }

  const base = new URL(configured ?? url.origin);
  const validHost = host && HOST_PATTERN.test(host) ? host : base.host;
  const validProto = proto === "http" || proto === "https" ? proto : base.protocol.slice(0, -1);
  const validPrefix = prefix && PREFIX_PATTERN.test(prefix) ? prefix.replace(/\/+$/, "") : "";

  return `${validProto}://${validHost}${base.pathname.replace(/\/+$/, "")}${validPrefix}`;
}

function firstValue(header: string | null): string | undefined {
  const value = header?.split(",")[0]?.trim();
  return value ? value : undefined;
}
