/**
 * The known differences between examples/registry and the Python registry, as allowances that the
 * parity test applies to single differences. Each one is described, with its reason, in
 * docs/compatibility.md under "Differences from the Python registry", by the same name.
 *
 * An allowance is `intentional` when @hea/server differs on purpose, and `defect` when the
 * difference is a bug on our side that is not fixed yet. A defect's allowance goes away with its
 * fix: the test fails when an allowance accepts nothing.
 *
 * @module
 */

import type { JsonDifference } from "../testing/parity.ts";
import { RECORDED_REQUESTS, type RecordedRequest } from "./requests.ts";

/** A response as the parity test compares it. */
export interface ComparedResponse {
  /** The status code. */
  readonly status: number;
  /** The compared headers, normalized. */
  readonly headers: Readonly<Record<string, string>>;
  /** The body, parsed when it is JSON, normalized. */
  readonly body: unknown;
}

/** One known difference. */
export interface Allowance {
  /** A short name, also used in docs/compatibility.md. */
  readonly name: string;
  /** Whether the difference is on purpose, or a bug on our side that is still open. */
  readonly kind: "intentional" | "defect";
  /** Whether this allowance accepts one difference of one request. */
  accepts(
    request: RecordedRequest,
    difference: JsonDifference,
    python: ComparedResponse,
    typescript: ComparedResponse,
  ): boolean;
}

/** The names of the objects that the recorded requests create. */
const CREATED_NAMES: ReadonlySet<string> = new Set(
  RECORDED_REQUESTS.filter((request) => request.method === "POST" && request.capture)
    .map((request) => postedName(request)),
);

/** Returns the `name` that a recorded POST sends, in whichever of the three formats it uses. */
function postedName(request: RecordedRequest): string {
  const body = request.body ?? "";
  if (request.contentType === "application/x-www-form-urlencoded") {
    return new URLSearchParams(body).get("name") ?? "";
  }
  const json = JSON.parse(body);
  const rows: { name: string; value: unknown }[] | undefined = json.template?.data;

  return String(rows ? rows.find((row) => row.name === "name")?.value : json.name);
}

/** Returns whether a difference is in an object that a recorded POST created. */
function inCreatedObject(request: RecordedRequest, path: string): boolean {
  if (request.path.includes("{created:")) {
    return true;
  }
  const named = /\[name=([^\]]+)\]/.exec(path)?.[1];

  return named !== undefined && CREATED_NAMES.has(named);
}

/** Returns whether a path is an attribute's value in JSON or WeSTL data or a Collection+JSON row. */
function isAttributeValue(path: string, attribute: string): boolean {
  return path.endsWith(`.${attribute}`) || path.endsWith(`[name=${attribute}].value`) ||
    path.endsWith(`,name=${attribute}].value`);
}

function isError(python: ComparedResponse, typescript: ComparedResponse): boolean {
  return python.status >= 400 && python.status === typescript.status;
}

/** Every allowance. */
export const ALLOWANCES: readonly Allowance[] = [
  {
    name: "utc-designator",
    kind: "intentional",
    accepts: (_request, { kind, expected, actual }) =>
      kind === "changed" && typeof expected === "string" && typeof actual === "string" &&
      expected.includes("<timestamp>+00:00") &&
      expected.replaceAll("<timestamp>+00:00", "<timestamp>Z") === actual,
  },
  {
    name: "item-data-row-order",
    kind: "intentional",
    accepts: (_request, { kind, path }) =>
      kind === "order" && /\.collection\.items\[\d+\]\.data$/.test(path),
  },
  {
    name: "modified-at-creation",
    kind: "intentional",
    accepts: (request, { kind, path, expected, actual }) =>
      kind === "changed" && isAttributeValue(path, "modified") && expected === null &&
      actual === "<timestamp>Z" && inCreatedObject(request, path),
  },
  {
    name: "put-keeps-omitted-attributes",
    kind: "intentional",
    accepts: (request, { kind, path, expected }) =>
      kind === "changed" && request.method === "GET" && / put /.test(request.name) &&
      inCreatedObject(request, path) &&
      ((isAttributeValue(path, "created") && expected === null) ||
        (isAttributeValue(path, "display_name") && expected === "Untitled Property")),
  },
  {
    name: "section-row-read-only",
    kind: "intentional",
    accepts: (_request, { kind, path }) =>
      kind === "changed" && /\.template\.data\[section=[^\]]+\]\.readOnly$/.test(path),
  },
  {
    name: "error-message-text",
    kind: "intentional",
    accepts: (_request, { kind, path, expected, actual }, python, typescript) =>
      kind === "changed" && path === "$.body" && isError(python, typescript) &&
      typeof expected === "string" && typeof actual === "string" && actual !== "",
  },
  {
    name: "error-content-type",
    kind: "intentional",
    accepts: (_request, { kind, path, expected, actual }, python, typescript) =>
      kind === "changed" && path === "$.headers.content-type" && isError(python, typescript) &&
      expected === "application/octet-stream" && actual === "text/plain;charset=utf-8",
  },
  {
    name: "options-method",
    kind: "intentional",
    accepts: (request, { path, expected, actual }, python) => {
      if (path === "$.headers.allow" && typeof expected === "string") {
        return actual === [...expected.split(", "), "OPTIONS"].sort().join(", ");
      }
      return request.method === "OPTIONS" && python.status === 405;
    },
  },
  {
    name: "opener-routes",
    kind: "intentional",
    accepts: (request, _difference, python, typescript) =>
      /\/opener$/.test(request.path) && python.status === 404 && typescript.status === 300,
  },
  {
    name: "ping-response",
    kind: "intentional",
    accepts: (request, { path }, python, typescript) =>
      request.path === "/componentsping" && python.status === 200 && typescript.status === 200 &&
      (path === "$.body" || path === "$.headers.content-type"),
  },
  {
    name: "bytype-checks-view-permission",
    kind: "intentional",
    accepts: (request, _difference, python, typescript) =>
      request.path.startsWith("/components/bytype/") && python.status === 200 &&
      typescript.status === 404,
  },
  {
    name: "duplicate-name-on-put",
    kind: "intentional",
    accepts: (request, { path }, python, typescript) =>
      request.method === "PUT" && python.status === 500 && typescript.status === 409 &&
      (path === "$.status" || path === "$.body"),
  },
  {
    name: "wstl-schema-member",
    kind: "intentional",
    accepts: (_request, { kind, path }) => kind === "unexpected" && path === "$.body[0].$schema",
  },
  {
    name: "wstl-title-text",
    kind: "intentional",
    accepts: (_request, { kind, path }) => kind === "changed" && path === "$.body[0].wstl.title",
  },
];
