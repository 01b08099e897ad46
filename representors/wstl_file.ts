/**
 * Design-time actions from HEA's WeSTL JSON files (`{"wstl": {"actions": [...]}}`), validated so
 * that a mistake is reported with the action and the field at start-up.
 *
 * @module
 */

import type { TypeRegistry } from "../objects/mod.ts";
import type { Action, ActionInput, OptionsFromUrl, Suggestion, TargetTag } from "./action.ts";
import { compileItemIf } from "./item_if.ts";

/** Raised for an invalid design-time WeSTL document, naming the action and the field. */
export class WstlFileError extends Error {
  /** The action's name, or its position when it has no valid name. */
  readonly action: string;
  /** The path of the invalid field within the action. */
  readonly field: string;

  /** Creates the error for a field of an action. */
  constructor(action: string, field: string, problem: string) {
    super(`Invalid WeSTL action ${action}, field ${field}: ${problem}`);
    this.name = "WstlFileError";
    this.action = action;
    this.field = field;
  }
}

const TARGET_TAGS: ReadonlySet<string> = new Set([
  "cj",
  "item",
  "list",
  "read",
  "href",
  "app",
  "cj-template",
  "add",
]);
const INPUT_EXTENSIONS = [
  "section",
  "sectionPrompt",
  "cardinality",
  "display",
  "optionsFromUrl",
  "objectUrlTargetTypesInclude",
  "type",
  "href",
] as const;

/**
 * Reads the actions of a design-time WeSTL document. Input properties may sit on the input or under
 * its `hea` object, as in HEA's files; an action's `hea.itemIf` expression is compiled.
 *
 * @throws {WstlFileError} naming the action and field of the first problem.
 *
 * @example
 * ```ts
 * import { parseWstlActions } from "@hea/server/representors";
 * import assert from "node:assert/strict";
 *
 * const [action] = parseWstlActions({
 *   wstl: {
 *     actions: [{
 *       name: "example-note-get-properties",
 *       type: "unsafe",
 *       target: "item cj-template",
 *       prompt: "Properties",
 *       inputs: [{ name: "user", hea: { section: "user_shares", sectionPrompt: "Users" } }],
 *     }],
 *   },
 * });
 * assert.deepEqual(action?.target, ["item", "cj-template"]);
 * assert.equal(action?.inputs?.[0]?.section, "user_shares");
 * assert.throws(
 *   () => parseWstlActions({ wstl: { actions: [{ name: "a", type: "risky", target: "cj" }] } }),
 *   /action a, field type/,
 * );
 * ```
 */
export function parseWstlActions(
  document: unknown,
  options: { registry?: TypeRegistry } = {},
): Action[] {
  const wstl = isRecord(document) ? document.wstl : undefined;
  const actions = isRecord(wstl) ? wstl.actions : undefined;
  if (!Array.isArray(actions)) {
    throw new WstlFileError("(document)", "wstl.actions", "must be a list of actions");
  }

  const names = new Set<string>();
  return actions.map((raw, index) => {
    const action = parseAction(raw, index, options.registry);
    if (names.has(action.name)) {
      throw new WstlFileError(
        action.name,
        "name",
        "is used by another action; names must be unique",
      );
    }
    names.add(action.name);
    return action;
  });
}

function parseAction(raw: unknown, index: number, registry: TypeRegistry | undefined): Action {
  if (!isRecord(raw)) {
    throw new WstlFileError(`#${index}`, "(action)", "must be an object");
  }
  if (typeof raw.name !== "string" || raw.name === "") {
    throw new WstlFileError(`#${index}`, "name", "must be a non-empty string");
  }
  const name = raw.name;
  const fail = (field: string, problem: string) => new WstlFileError(name, field, problem);

  if (raw.type !== "safe" && raw.type !== "unsafe") {
    throw fail("type", "must be safe or unsafe");
  }
  const target = parseTarget(raw.target, fail);
  const rel = parseRel(raw.rel, fail);
  const inputs = raw.inputs === undefined
    ? undefined
    : Array.isArray(raw.inputs)
    ? raw.inputs.map((input, position) => parseInput(input, `inputs[${position}]`, fail))
    : (() => {
      throw fail("inputs", "must be a list");
    })();
  const hea = raw.hea;
  if (hea !== undefined && !isRecord(hea)) {
    throw fail("hea", "must be an object");
  }
  const expression = isRecord(hea) ? hea.itemIf : undefined;
  if (expression !== undefined && typeof expression !== "string") {
    throw fail("hea.itemIf", "must be a string expression");
  }
  let itemIf;
  try {
    itemIf = expression === undefined ? undefined : compileItemIf(expression, registry);
  } catch (error) {
    throw fail("hea.itemIf", error instanceof Error ? error.message : String(error));
  }

  return {
    name,
    type: raw.type,
    target,
    ...(typeof raw.action === "string" ? { action: raw.action } : {}),
    ...(rel ? { rel } : {}),
    ...optionalString(raw, "prompt", fail),
    ...optionalString(raw, "description", fail),
    ...(inputs ? { inputs } : {}),
    ...(itemIf ? { itemIf } : {}),
  };
}

type Fail = (field: string, problem: string) => WstlFileError;

function parseTarget(value: unknown, fail: Fail): TargetTag[] {
  if (typeof value !== "string" || value.trim() === "") {
    throw fail("target", 'must be a string of space-separated tags such as "item read cj"');
  }
  const tags = value.trim().split(/\s+/);
  for (const tag of tags) {
    if (!TARGET_TAGS.has(tag)) {
      throw fail("target", `"${tag}" is not a target tag; use ${[...TARGET_TAGS].join(", ")}`);
    }
  }

  return tags as TargetTag[];
}

function parseRel(value: unknown, fail: Fail): string[] | undefined {
  if (value === undefined) {
    return undefined;
  }
  if (typeof value === "string") {
    return value.split(/\s+/).filter(Boolean);
  }
  if (Array.isArray(value) && value.every((rel) => typeof rel === "string")) {
    return [...value];
  }

  throw fail("rel", "must be a string or a list of strings");
}

function parseInput(raw: unknown, field: string, fail: Fail): ActionInput {
  if (!isRecord(raw)) {
    throw fail(field, "must be an object");
  }
  if (typeof raw.name !== "string" || raw.name === "") {
    throw fail(`${field}.name`, "must be a non-empty string");
  }
  const hea = raw.hea === undefined ? {} : raw.hea;
  if (!isRecord(hea)) {
    throw fail(`${field}.hea`, "must be an object");
  }
  const extended: Record<string, unknown> = {};
  for (const key of INPUT_EXTENSIONS) {
    const value = hea[key] ?? raw[key];
    if (value !== undefined) {
      extended[key] = value;
    }
  }

  const input: Record<string, unknown> = { name: raw.name };
  for (const key of ["prompt", "pattern", "type", "section", "sectionPrompt"] as const) {
    const value = key in extended ? extended[key] : raw[key];
    if (value !== undefined) {
      if (typeof value !== "string") {
        throw fail(`${field}.${key}`, "must be a string");
      }
      input[key] = value;
    }
  }
  for (const key of ["readOnly", "required", "display"] as const) {
    const value = key in extended ? extended[key] : raw[key];
    if (value !== undefined) {
      if (typeof value !== "boolean") {
        throw fail(`${field}.${key}`, "must be true or false");
      }
      input[key] = value;
    }
  }
  if (raw.value !== undefined) {
    input.value = raw.value;
  }
  if (extended.cardinality !== undefined) {
    if (extended.cardinality !== "single" && extended.cardinality !== "multiple") {
      throw fail(`${field}.cardinality`, "must be single or multiple");
    }
    input.cardinality = extended.cardinality;
  }
  if (raw.suggest !== undefined) {
    input.suggest = parseSuggest(raw.suggest, `${field}.suggest`, fail);
  }
  if (extended.optionsFromUrl !== undefined) {
    input.optionsFromUrl = parseOptionsFromUrl(
      extended.optionsFromUrl,
      `${field}.optionsFromUrl`,
      fail,
    );
  }
  if (extended.objectUrlTargetTypesInclude !== undefined) {
    const types = extended.objectUrlTargetTypesInclude;
    if (!Array.isArray(types) || !types.every((type) => typeof type === "string")) {
      throw fail(`${field}.objectUrlTargetTypesInclude`, "must be a list of type names");
    }
    input.objectUrlTargetTypesInclude = [...types];
  }

  return input as unknown as ActionInput;
}

function parseSuggest(value: unknown, field: string, fail: Fail): Suggestion[] {
  if (!Array.isArray(value)) {
    throw fail(field, "must be a list of {value, text} choices");
  }

  return value.map((choice, index) => {
    if (!isRecord(choice) || typeof choice.text !== "string" || !("value" in choice)) {
      throw fail(`${field}[${index}]`, "must be an object with value and text");
    }
    return { value: choice.value, text: choice.text };
  });
}

function parseOptionsFromUrl(value: unknown, field: string, fail: Fail): OptionsFromUrl {
  if (
    !isRecord(value) || typeof value.path !== "string" || typeof value.value !== "string" ||
    typeof value.text !== "string"
  ) {
    throw fail(field, "must be an object with path, value and text strings");
  }

  return { path: value.path, value: value.value, text: value.text };
}

function optionalString(
  raw: Record<string, unknown>,
  key: "prompt" | "description",
  fail: Fail,
): Record<string, string> {
  const value = raw[key];
  if (value === undefined) {
    return {};
  }
  if (typeof value !== "string") {
    throw fail(key, "must be a string");
  }

  return { [key]: value };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
