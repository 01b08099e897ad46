/**
 * Structural comparison of two services' responses, for parity tests that replay the same requests
 * against a reference service and its port. Values that differ from run to run (ids, timestamps,
 * hosts and ports, request ids, dates) are normalized first. Every remaining difference is then
 * reported with the JSON path where it sits.
 *
 * @module
 */

/** The kind of a {@linkcode JsonDifference}. */
export type JsonDifferenceKind = "changed" | "missing" | "unexpected" | "order";

/** One difference between an expected and an actual JSON value. */
export interface JsonDifference {
  /**
   * The location of the difference: `$` is the root, `.key` a member, `[0]` an array element, and
   * `[name=x]` the element whose `name` is `x` in an array of named objects (see
   * {@linkcode compareJson}).
   */
  readonly path: string;
  /**
   * `changed` for different values or types, `missing` for a member or element that only the
   * expected value has, `unexpected` for one that only the actual value has, and `order` for named
   * elements that both arrays have in a different order.
   */
  readonly kind: JsonDifferenceKind;
  /** The expected value at the path; absent for `unexpected`. */
  readonly expected?: unknown;
  /** The actual value at the path; absent for `missing`. */
  readonly actual?: unknown;
}

/** The options of {@linkcode ParityNormalizer}. */
export interface ParityNormalizerOptions {
  /**
   * Ids that are the same in both services, such as those of fixtures loaded into both databases.
   * They are kept, so a response that names the wrong fixture still differs.
   */
  readonly keepIds?: Iterable<string>;
  /**
   * Whether lists whose elements are all strings are sorted, so they compare as sets. heaserver
   * builds several such lists (permissions, creator users and groups) from Python sets, whose
   * order changes with each process's hash seed.
   */
  readonly sortStringLists?: boolean;
}

const OBJECT_ID_PATTERN = /(?<![0-9A-Fa-f])[0-9a-f]{24}(?![0-9A-Fa-f])/g;
const ORIGIN_PATTERN = /\b(https?):\/\/(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(?::\d{1,5})?/g;
const TIMESTAMP_PATTERN =
  /\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?(?![\d:])/g;

/** Response headers whose values differ on every request, mapped to their placeholders. */
const VOLATILE_HEADERS: Readonly<Record<string, string>> = {
  date: "<date>",
  "x-request-id": "<request-id>",
};

/**
 * Replaces what differs between two runs of the same request with placeholders, so that two
 * responses can be compared structurally:
 *
 * - a 24-digit hexadecimal MongoDB ObjectId anywhere in a string, including inside URLs, Location
 *   headers and `instance_id` values such as `heaobject.registry.Property^<id>`, becomes `<id:N>`
 *   unless it is one of `keepIds`. N numbers distinct ids in the order this normalizer finds them;
 * - an ISO 8601 date-time becomes `<timestamp>` followed by its zone designator as written (`Z`,
 *   `+00:00` or nothing), so a change of format still shows;
 * - the host and port of an `http` or `https` URL become `<host>`;
 * - the values of the `Date` and `X-Request-Id` headers become `<date>` and `<request-id>`.
 *
 * Use one normalizer per response, so that the same id in its headers and body gets the same
 * number, and so that the numbering of two services' responses lines up.
 *
 * @example Normalize a created object
 * ```ts
 * import { ParityNormalizer } from "@hea/server/testing";
 * import assert from "node:assert/strict";
 *
 * const normalizer = new ParityNormalizer({ keepIds: ["666f6f2d6261722d71757578"] });
 * assert.deepEqual(
 *   normalizer.normalize({
 *     id: "6b1320619f9c96a362c3838a",
 *     instance_id: "heaobject.registry.Property^6b1320619f9c96a362c3838a",
 *     href: "http://127.0.0.1:18080/properties/6b1320619f9c96a362c3838a",
 *     component: "666f6f2d6261722d71757578",
 *     created: "2026-12-04T20:19:45.123000+00:00",
 *   }),
 *   {
 *     id: "<id:1>",
 *     instance_id: "heaobject.registry.Property^<id:1>",
 *     href: "http://<host>/properties/<id:1>",
 *     component: "666f6f2d6261722d71757578",
 *     created: "<timestamp>+00:00",
 *   },
 * );
 * ```
 */
export class ParityNormalizer {
  readonly #keepIds: ReadonlySet<string>;
  readonly #ids: Map<string, string> = new Map();
  readonly #sortStringLists: boolean;

  /** Creates a normalizer with its own id numbering. */
  constructor(options: ParityNormalizerOptions = {}) {
    this.#keepIds = new Set(options.keepIds ?? []);
    this.#sortStringLists = options.sortStringLists ?? false;
  }

  /** Returns a copy of a JSON value with every string normalized. Object keys are kept. */
  normalize(value: unknown): unknown {
    if (typeof value === "string") {
      return this.normalizeString(value);
    }
    if (Array.isArray(value)) {
      const elements = value.map((element) => this.normalize(element));
      const strings = elements.every((element) => typeof element === "string");
      return this.#sortStringLists && strings ? (elements as string[]).sort() : elements;
    }
    if (isPlainObject(value)) {
      const result: Record<string, unknown> = {};
      for (const [key, member] of Object.entries(value)) {
        result[key] = this.normalize(member);
      }
      return result;
    }

    return value;
  }

  /** Returns a string with its ids, timestamps and URL hosts replaced by placeholders. */
  normalizeString(text: string): string {
    return text
      .replace(TIMESTAMP_PATTERN, (_match, zone: string | undefined) => `<timestamp>${zone ?? ""}`)
      .replace(ORIGIN_PATTERN, (_match, scheme: string) => `${scheme}://<host>`)
      .replace(OBJECT_ID_PATTERN, (id) => this.#placeholder(id));
  }

  /**
   * Returns headers as an object keyed by lower-case name, with volatile values replaced, the
   * media type of `Content-Type` and its parameter names in lower case, and other values
   * normalized as strings.
   */
  normalizeHeaders(headers: Headers): Record<string, string> {
    const result: Record<string, string> = {};
    for (const [name, value] of headers) {
      const volatile = VOLATILE_HEADERS[name];
      if (volatile !== undefined) {
        result[name] = volatile;
      } else if (name === "content-type") {
        result[name] = normalizeMediaType(value);
      } else {
        result[name] = this.normalizeString(value);
      }
    }

    return result;
  }

  #placeholder(id: string): string {
    if (this.#keepIds.has(id)) {
      return id;
    }
    let placeholder = this.#ids.get(id);
    if (placeholder === undefined) {
      placeholder = `<id:${this.#ids.size + 1}>`;
      this.#ids.set(id, placeholder);
    }

    return placeholder;
  }
}

/**
 * Returns a `Content-Type` value with its media type and parameter names in lower case and without
 * spaces around separators, so that `text/plain; charset=utf-8` and `text/plain;charset=utf-8`
 * compare equal. Parameter values are kept, except `charset`, whose value is case-insensitive.
 *
 * @example
 * ```ts
 * import { normalizeMediaType } from "@hea/server/testing";
 * import assert from "node:assert/strict";
 *
 * assert.equal(normalizeMediaType("Text/Plain;  Charset=UTF-8"), "text/plain;charset=utf-8");
 * ```
 */
export function normalizeMediaType(value: string): string {
  const [type = "", ...parameters] = value.split(";").map((part) => part.trim());
  const normalized = parameters.filter((parameter) => parameter !== "").map((parameter) => {
    const separator = parameter.indexOf("=");
    if (separator < 0) {
      return parameter.toLowerCase();
    }
    const name = parameter.slice(0, separator).trim().toLowerCase();
    const parameterValue = parameter.slice(separator + 1).trim();

    return `${name}=${name === "charset" ? parameterValue.toLowerCase() : parameterValue}`;
  });

  return [type.toLowerCase(), ...normalized].join(";");
}

/**
 * Compares two JSON values structurally and returns every difference, or an empty list when they
 * are equal. Object members are compared by key, whatever their order. Arrays are compared by
 * position, except arrays whose elements on both sides are all objects with a string `name`
 * (Collection+JSON data rows, template rows, WeSTL actions). Those are compared element by element
 * by `name`, with `section` and `index` when present, so that one extra row does not shift every
 * row after it, and a different order of the shared elements is one `order` difference. When
 * several elements share that key, the second is keyed `...#2`, the third `...#3`, and so on.
 *
 * @example Find a changed value and a missing row
 * ```ts
 * import { compareJson } from "@hea/server/testing";
 * import assert from "node:assert/strict";
 *
 * const expected = { data: [{ name: "id", value: "1" }, { name: "owner", value: "alice" }] };
 * const actual = { data: [{ name: "id", value: "2" }] };
 * assert.deepEqual(compareJson(expected, actual), [
 *   { path: "$.data[name=id].value", kind: "changed", expected: "1", actual: "2" },
 *   { path: "$.data[name=owner]", kind: "missing", expected: { name: "owner", value: "alice" } },
 * ]);
 * ```
 */
export function compareJson(expected: unknown, actual: unknown, path = "$"): JsonDifference[] {
  if (Array.isArray(expected) && Array.isArray(actual)) {
    return compareArrays(expected, actual, path);
  }
  if (isPlainObject(expected) && isPlainObject(actual)) {
    return compareObjects(expected, actual, path);
  }
  if (Object.is(expected, actual)) {
    return [];
  }

  return [{ path, kind: "changed", expected, actual }];
}

function compareObjects(
  expected: Record<string, unknown>,
  actual: Record<string, unknown>,
  path: string,
): JsonDifference[] {
  const differences: JsonDifference[] = [];
  for (const [key, value] of Object.entries(expected)) {
    const memberPath = `${path}${memberSegment(key)}`;
    if (Object.hasOwn(actual, key)) {
      differences.push(...compareJson(value, actual[key], memberPath));
    } else {
      differences.push({ path: memberPath, kind: "missing", expected: value });
    }
  }
  for (const [key, value] of Object.entries(actual)) {
    if (!Object.hasOwn(expected, key)) {
      differences.push({ path: `${path}${memberSegment(key)}`, kind: "unexpected", actual: value });
    }
  }

  return differences;
}

function compareArrays(expected: unknown[], actual: unknown[], path: string): JsonDifference[] {
  const expectedKeys = namedElementKeys(expected);
  const actualKeys = namedElementKeys(actual);
  if (expectedKeys && actualKeys && (expected.length > 0 || actual.length > 0)) {
    return compareNamedArrays(expected, expectedKeys, actual, actualKeys, path);
  }

  const differences: JsonDifference[] = [];
  const shared = Math.min(expected.length, actual.length);
  for (let index = 0; index < shared; index++) {
    differences.push(...compareJson(expected[index], actual[index], `${path}[${index}]`));
  }
  for (let index = shared; index < expected.length; index++) {
    differences.push({ path: `${path}[${index}]`, kind: "missing", expected: expected[index] });
  }
  for (let index = shared; index < actual.length; index++) {
    differences.push({ path: `${path}[${index}]`, kind: "unexpected", actual: actual[index] });
  }

  return differences;
}

function compareNamedArrays(
  expected: unknown[],
  expectedKeys: string[],
  actual: unknown[],
  actualKeys: string[],
  path: string,
): JsonDifference[] {
  const differences: JsonDifference[] = [];
  const actualByKey = new Map(actualKeys.map((key, index) => [key, actual[index]]));
  const expectedSet = new Set(expectedKeys);

  expectedKeys.forEach((key, index) => {
    const elementPath = `${path}[${key}]`;
    if (actualByKey.has(key)) {
      differences.push(...compareJson(expected[index], actualByKey.get(key), elementPath));
    } else {
      differences.push({ path: elementPath, kind: "missing", expected: expected[index] });
    }
  });
  actualKeys.forEach((key, index) => {
    if (!expectedSet.has(key)) {
      differences.push({ path: `${path}[${key}]`, kind: "unexpected", actual: actual[index] });
    }
  });

  const expectedOrder = expectedKeys.filter((key) => actualByKey.has(key));
  const actualOrder = actualKeys.filter((key) => expectedSet.has(key));
  if (expectedOrder.some((key, index) => key !== actualOrder[index])) {
    differences.push({ path, kind: "order", expected: expectedOrder, actual: actualOrder });
  }

  return differences;
}

/**
 * Returns the key of each element of an array of named objects, such as `name=owner` or
 * `section=resources,index=0,name=type`, or `undefined` when the array is not one. A key that
 * repeats gets `#2`, `#3`... on its second and later occurrences, so every key is unique.
 */
function namedElementKeys(elements: unknown[]): string[] | undefined {
  const keys: string[] = [];
  const occurrences = new Map<string, number>();
  for (const element of elements) {
    if (!isPlainObject(element) || typeof element.name !== "string") {
      return undefined;
    }
    const parts: string[] = [];
    if (element.section !== undefined && element.section !== null) {
      parts.push(`section=${String(element.section)}`);
    }
    if (element.index !== undefined && element.index !== null) {
      parts.push(`index=${String(element.index)}`);
    }
    parts.push(`name=${element.name}`);
    const key = parts.join(",");
    const occurrence = (occurrences.get(key) ?? 0) + 1;
    occurrences.set(key, occurrence);
    keys.push(occurrence === 1 ? key : `${key}#${occurrence}`);
  }

  return keys;
}

function memberSegment(key: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
