/**
 * Request bodies to plain objects: a Collection+JSON template, JSON, or an HTML form, chosen by
 * `Content-Type`.
 *
 * @module
 */

import { InvalidObjectError } from "../objects/mod.ts";
import { NVP_JSON_MEDIA_TYPE } from "./nvp_json.ts";

/** The media type of HTML form bodies, which the server reads but never writes. */
export const FORM_MEDIA_TYPE = "application/x-www-form-urlencoded";

/** Limits on what {@linkcode parseRequestBody} accepts. */
export interface BodyLimits {
  /** The largest body in bytes; a larger one is an error with status 413. Defaults to 1 MiB. */
  readonly maxBytes?: number;
  /** The deepest nesting of JSON arrays and objects. Defaults to 32. */
  readonly maxDepth?: number;
}

/** Raised when a body is larger than allowed; the HTTP layer responds with 413. */
export class BodyTooLargeError extends Error {
  /** The limit in bytes. */
  readonly maxBytes: number;

  /** Creates the error for a limit of `maxBytes`. */
  constructor(maxBytes: number) {
    super(`The request body is larger than ${maxBytes} bytes; send a smaller body`);
    this.name = "BodyTooLargeError";
    this.maxBytes = maxBytes;
  }
}

const DEFAULT_MAX_BYTES = 1024 * 1024;
const DEFAULT_MAX_DEPTH = 32;
const UNSAFE_KEYS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

/**
 * Reads a request body into a plain object by its `Content-Type`: a Collection+JSON template
 * (also when the header is missing or unknown, as HEA does), JSON, or an HTML form. Keys such as
 * `__proto__` are rejected.
 *
 * @throws {InvalidObjectError} naming the field for a malformed body.
 * @throws {BodyTooLargeError} for a body over the limit.
 *
 * @example Read a form
 * ```ts
 * import { parseRequestBody } from "@hea/server/representors";
 * import assert from "node:assert/strict";
 *
 * const request = new Request("http://localhost/properties", {
 *   method: "POST",
 *   headers: { "content-type": "application/x-www-form-urlencoded" },
 *   body: "type=heaobject.registry.Property&name=x&value=1",
 * });
 * assert.deepEqual(await parseRequestBody(request), {
 *   type: "heaobject.registry.Property",
 *   name: "x",
 *   value: "1",
 * });
 * ```
 */
export async function parseRequestBody(
  request: Request,
  limits: BodyLimits = {},
): Promise<Record<string, unknown>> {
  const text = await readText(request, limits.maxBytes ?? DEFAULT_MAX_BYTES);
  const mediaType = (request.headers.get("content-type") ?? "").split(";")[0]?.trim().toLowerCase();

  if (mediaType === FORM_MEDIA_TYPE) {
    return parseForm(text);
  }

  const json = parseJson(text, limits.maxDepth ?? DEFAULT_MAX_DEPTH);
  if (mediaType === NVP_JSON_MEDIA_TYPE) {
    return singleObject(json);
  }

  return templateToObject(json);
}

/**
 * Converts a Collection+JSON template into a plain object: rows with a section and an index become
 * a list of objects under the section, ordered by index; rows with a section only become a nested
 * object; other rows become attributes. Rows with index `-1` only carry defaults and are skipped.
 *
 * @throws {InvalidObjectError} when the template is malformed.
 *
 * @example
 * ```ts
 * import { templateToObject } from "@hea/server/representors";
 * import assert from "node:assert/strict";
 *
 * const object = templateToObject({
 *   template: {
 *     data: [
 *       { name: "name", value: "x" },
 *       { section: "resources", index: 1, name: "base_path", value: "b" },
 *       { section: "resources", index: 0, name: "base_path", value: "a" },
 *     ],
 *   },
 * });
 * assert.deepEqual(object, { name: "x", resources: [{ base_path: "a" }, { base_path: "b" }] });
 * ```
 */
export function templateToObject(json: unknown): Record<string, unknown> {
  const template = isRecord(json) ? json.template : undefined;
  const data = isRecord(template) ? template.data : undefined;
  if (!Array.isArray(data)) {
    throw new InvalidObjectError(
      "template.data",
      'is missing; send a Collection+JSON template such as {"template": {"data": [...]}}, or set Content-Type: application/json to send a JSON object',
    );
  }

  const result: Record<string, unknown> = {};
  const sections = new Map<string, Map<number, Record<string, unknown>>>();
  data.forEach((row, position) => {
    const field = `template.data[${position}]`;
    if (!isRecord(row) || typeof row.name !== "string") {
      throw new InvalidObjectError(`${field}.name`, "must be a string naming an attribute");
    }
    checkKey(row.name, `${field}.name`);
    const value = row.value ?? null;
    const section = row.section;
    const index = row.index;

    if (section === undefined || section === null) {
      result[row.name] = value;
      return;
    }
    if (typeof section !== "string") {
      throw new InvalidObjectError(`${field}.section`, "must be a string naming an attribute");
    }
    checkKey(section, `${field}.section`);
    if (index === undefined || index === null) {
      const nested = isRecord(result[section]) ? result[section] as Record<string, unknown> : {};
      nested[row.name] = value;
      result[section] = nested;
      return;
    }
    if (!Number.isInteger(index) || (index as number) < -1) {
      throw new InvalidObjectError(`${field}.index`, "must be an integer from -1 up");
    }
    if (index === -1) {
      if (!sections.has(section)) {
        sections.set(section, new Map());
      }
      return;
    }
    const elements = sections.get(section) ?? new Map<number, Record<string, unknown>>();
    sections.set(section, elements);
    const element = elements.get(index as number) ?? {};
    element[row.name] = value;
    elements.set(index as number, element);
  });

  for (const [section, elements] of sections) {
    result[section] = [...elements.entries()].sort(([a], [b]) => a - b).map(([, element]) =>
      element
    );
  }

  return result;
}

async function readText(request: Request, maxBytes: number): Promise<string> {
  const declared = Number(request.headers.get("content-length") ?? Number.NaN);
  if (declared > maxBytes) {
    throw new BodyTooLargeError(maxBytes);
  }
  if (!request.body) {
    return "";
  }

  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = request.body.getReader();
  while (true) {
    const { done, value } = await reader.read();
    if (done) {
      break;
    }
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw new BodyTooLargeError(maxBytes);
    }
    chunks.push(value);
  }

  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(concat(chunks, total));
  } catch {
    throw new InvalidObjectError("(body)", "is not valid UTF-8 text");
  }
}

function parseJson(text: string, maxDepth: number): unknown {
  if (text.trim() === "") {
    throw new InvalidObjectError("(body)", "is empty; send a JSON document");
  }

  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    // V8 quotes part of the input after a comma (`Unexpected token 'h', "hunter2" is not valid
    // JSON`). That part may hold a password, so only the text before the comma is kept.
    const detail = error instanceof SyntaxError
      ? error.message.replace(/,\s*(\.\.\.)?".*$/s, "")
      : "parse error";
    throw new InvalidObjectError("(body)", `is not valid JSON (${detail})`);
  }
  checkStructure(json, maxDepth, "", 0);

  return json;
}

/** Rejects nesting deeper than allowed and keys that would pollute prototypes when merged. */
function checkStructure(value: unknown, maxDepth: number, path: string, depth: number): void {
  if (typeof value !== "object" || value === null) {
    return;
  }
  if (depth >= maxDepth) {
    throw new InvalidObjectError(path || "(body)", `is nested more than ${maxDepth} levels deep`);
  }
  if (Array.isArray(value)) {
    value.forEach((element, index) =>
      checkStructure(element, maxDepth, `${path}[${index}]`, depth + 1)
    );
    return;
  }
  for (const [key, member] of Object.entries(value)) {
    const memberPath = path ? `${path}.${key}` : key;
    checkKey(key, memberPath);
    checkStructure(member, maxDepth, memberPath, depth + 1);
  }
}

function checkKey(key: string, path: string): void {
  if (UNSAFE_KEYS.has(key)) {
    throw new InvalidObjectError(path, `"${key}" is a reserved name; remove it from the input`);
  }
}

/** JSON input is one object; a list holding exactly one object is accepted as that object. */
function singleObject(json: unknown): Record<string, unknown> {
  if (Array.isArray(json) && json.length === 1 && isRecord(json[0])) {
    return json[0];
  }
  if (!isRecord(json)) {
    throw new InvalidObjectError("(body)", "must be a JSON object");
  }

  return json;
}

function parseForm(text: string): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    checkKey(key, key);
    const existing = result[key];
    if (existing === undefined) {
      result[key] = value;
    } else if (Array.isArray(existing)) {
      existing.push(value);
    } else {
      result[key] = [existing, value];
    }
  }

  return result;
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  const result = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    result.set(chunk, offset);
    offset += chunk.byteLength;
  }

  return result;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
