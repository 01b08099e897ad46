/**
 * The Collection+JSON representor (`application/vnd.collection+json`), with HEA's extensions: data
 * rows carry `section` and `index` for nested objects, templates carry HEA's input properties, and
 * every document carries the caller's permissions.
 *
 * @module
 */

import {
  arePermissionsReadOnly,
  type HeaObject,
  newObject,
  type Permission,
  PermissionContext,
} from "../objects/mod.ts";
import { type ActionInput, hasTarget, type RunTimeAction } from "./action.ts";
import { type DocumentItem, documentItems, type RunTimeDocument } from "./document.ts";
import { expandTemplate, objectVariables } from "./template_variables.ts";

/** The media type of Collection+JSON. */
export const COLLECTION_JSON_MEDIA_TYPE = "application/vnd.collection+json";

/** A row of an item's data or of a template. */
export type CollectionJsonRow = Record<string, unknown> & { name: string };

/** A link of an item or of a document. */
export interface CollectionJsonLink {
  /** The link's label. */
  prompt: string;
  /** Space-separated link relations. */
  rel: string;
  /** The link's URL. */
  href: string;
}

/**
 * Streams a run-time document as Collection+JSON: a JSON array holding one `collection` object.
 * Items are written as they arrive, so a large collection never sits in memory as a whole; the
 * permissions, links, template and queries follow the items.
 *
 * @example Render one object
 * ```ts
 * import { renderCollectionJson } from "@hea/server/representors";
 * import { PermissionContext, TypeRegistry } from "@hea/server/objects";
 * import assert from "node:assert/strict";
 *
 * const chunks = await Array.fromAsync(renderCollectionJson({
 *   href: "http://localhost:8080/notes/1",
 *   actions: [],
 *   items: [{ object: { type: "x.Note", id: "1" }, permissions: ["VIEWER"], attributePermissions: {} }],
 *   parameters: { id: "1" },
 *   headers: {},
 *   registry: new TypeRegistry(),
 *   caller: new PermissionContext("alice"),
 * }));
 * const [document] = JSON.parse(chunks.join(""));
 * assert.equal(document.collection.version, "1.0");
 * assert.deepEqual(document.collection.permissions, [["VIEWER"]]);
 * assert.deepEqual(document.collection.items[0].data[0], { name: "type", value: "x.Note", prompt: "type", display: true });
 * ```
 */
export async function* renderCollectionJson(document: RunTimeDocument): AsyncGenerator<string> {
  const includeData = document.includeData ?? true;
  const permissions: (readonly Permission[])[] = [];
  const types = new Set<string>();
  let first: DocumentItem | undefined;
  let count = 0;

  yield `[{"collection":{"version":"1.0","href":${JSON.stringify(document.href)}`;
  for await (const item of documentItems(document.items)) {
    yield (count === 0 ? `,"items":[` : ",") +
      JSON.stringify(collectionItem(item, document, includeData));
    permissions.push(item.permissions);
    types.add(item.object.type);
    first ??= item;
    count++;
  }
  if (count > 0) {
    yield "]";
  }

  const variables = documentVariables(document, count === 1 ? first : undefined);
  const tail: Record<string, unknown> = { permissions };
  const links = documentLinks(document.actions, variables);
  if (links.length > 0) {
    tail.links = links;
  }
  const template = collectionTemplate(document, {
    single: count === 1 ? first : undefined,
    firstType: first?.object.type,
    mixedTypes: types.size > 1,
    variables: count <= 1 ? variables : {},
  });
  if (template) {
    tail.template = template;
  }
  const queries = collectionQueries(document.actions, variables);
  if (queries.length > 0) {
    tail.queries = queries;
  }

  yield `,${JSON.stringify(tail).slice(1)}}]`;
}

/**
 * Returns the data rows of an object: one per attribute, one per member of a nested object (with
 * `section`), and one per member of each object in a list (with `section` and `index`).
 *
 * @example
 * ```ts
 * import { collectionDataRows } from "@hea/server/representors";
 * import assert from "node:assert/strict";
 *
 * const rows = collectionDataRows({ type: "x.C", resources: [{ type: "x.R", base_path: "a" }] });
 * assert.deepEqual(rows[1], { section: "resources", index: 0, name: "type", value: "x.R", prompt: "type", display: true });
 * ```
 */
export function collectionDataRows(object: HeaObject): CollectionJsonRow[] {
  const rows: CollectionJsonRow[] = [];
  for (const [name, value] of Object.entries(object)) {
    if (name === "meta") {
      continue;
    }
    if (isHeaObject(value) && Object.keys(value).length > 0) {
      for (const [member, memberValue] of Object.entries(value)) {
        if (member !== "meta") {
          rows.push({ section: name, ...row(member, memberValue) });
        }
      }
    } else if (Array.isArray(value) && value.length > 0 && value.every(isHeaObject)) {
      value.forEach((element, index) => {
        for (const [member, memberValue] of Object.entries(element)) {
          if (member !== "meta") {
            rows.push({ section: name, index, ...row(member, memberValue) });
          }
        }
      });
    } else {
      rows.push(row(name, value));
    }
  }

  return rows;
}

function row(name: string, value: unknown): CollectionJsonRow {
  return { name, value, prompt: name, display: name !== "id" };
}

function collectionItem(
  item: DocumentItem,
  document: RunTimeDocument,
  includeData: boolean,
): Record<string, unknown> {
  const variables = { ...document.parameters, ...objectVariables(item.object) };
  const result: Record<string, unknown> = {};
  if (includeData) {
    result.data = collectionDataRows(item.object);
  }

  const self = document.actions.find((action) =>
    hasTarget(action, "item") && hasTarget(action, "href") && hasTarget(action, "cj") &&
    appliesTo(action, item)
  );
  if (self) {
    result.rel = self.rel.join(" ");
    result.href = expandTemplate(self.href, variables);
  }

  result.links = itemLinks(document.actions, item, variables);

  return result;
}

/**
 * Returns an item's links: its `item read cj` actions whose item condition holds, with their URL
 * templates expanded over the route parameters and the item's attributes.
 *
 * @example
 * ```ts
 * import { collectionItemLinks } from "@hea/server/representors";
 * import assert from "node:assert/strict";
 *
 * const links = collectionItemLinks(
 *   [{ name: "self", type: "safe", target: ["item", "read", "cj"], rel: ["self"], href: "http://h/notes/{id}", prompt: "View" }],
 *   { object: { type: "x.Note", id: "1" }, permissions: ["VIEWER"], attributePermissions: {} },
 *   {},
 * );
 * assert.deepEqual(links, [{ prompt: "View", rel: "self", href: "http://h/notes/1" }]);
 * ```
 */
export function collectionItemLinks(
  actions: readonly RunTimeAction[],
  item: DocumentItem,
  parameters: Readonly<Record<string, string>>,
): CollectionJsonLink[] {
  return itemLinks(actions, item, { ...parameters, ...objectVariables(item.object) });
}

/**
 * Returns an item's links with templates expanded over `variables`, which `collectionItem` has
 * already built: flattening a large object's attributes twice per item was a measurable share of
 * a listing's time.
 */
function itemLinks(
  actions: readonly RunTimeAction[],
  item: DocumentItem,
  variables: Readonly<Record<string, unknown>>,
): CollectionJsonLink[] {
  return actions
    .filter((action) =>
      hasTarget(action, "item") && hasTarget(action, "read") && hasTarget(action, "cj") &&
      appliesTo(action, item)
    )
    .map((action) => ({
      prompt: action.prompt ?? "",
      rel: action.rel.join(" "),
      href: expandTemplate(action.href, variables),
    }));
}

function appliesTo(action: RunTimeAction, item: DocumentItem): boolean {
  return action.itemIf ? action.itemIf({ item: item.object, permissions: item.permissions }) : true;
}

function documentVariables(
  document: RunTimeDocument,
  single: DocumentItem | undefined,
): Record<string, unknown> {
  return {
    ...(single ? objectVariables(single.object) : {}),
    ...document.parameters,
    ...document.headers,
  };
}

function documentLinks(
  actions: readonly RunTimeAction[],
  variables: Record<string, unknown>,
): CollectionJsonLink[] {
  return actions
    .filter((action) =>
      action.type === "safe" && hasTarget(action, "app") && hasTarget(action, "cj") &&
      (action.inputs?.length ?? 0) === 0
    )
    .map((action) => ({
      href: expandTemplate(action.href, variables),
      rel: action.rel.join(" "),
      prompt: action.prompt ?? "",
    }));
}

function collectionQueries(
  actions: readonly RunTimeAction[],
  variables: Record<string, unknown>,
): Record<string, unknown>[] {
  return actions
    .filter((action) =>
      action.type === "safe" && hasTarget(action, "list") && hasTarget(action, "cj") &&
      action.inputs !== undefined
    )
    .map((action) => ({
      rel: action.rel.join(" "),
      href: action.href,
      prompt: action.prompt ?? "",
      data: (action.inputs ?? []).map((input) => ({
        ...inputRow(input, input.value ?? null, input.readOnly ?? false),
        ...extendedProperties(input, variables, input.value ?? null),
      })),
    }));
}

interface TemplateContext {
  readonly single: DocumentItem | undefined;
  readonly firstType: string | undefined;
  readonly mixedTypes: boolean;
  readonly variables: Record<string, unknown>;
}

function collectionTemplate(
  document: RunTimeDocument,
  context: TemplateContext,
): Record<string, unknown> | undefined {
  const action = document.actions.find((candidate) =>
    hasTarget(candidate, "cj-template") &&
    !(context.single && !appliesTo(candidate, context.single)) &&
    !context.mixedTypes
  );
  if (!action) {
    return undefined;
  }

  const attributePermissions = templateAttributePermissions(document, context);
  const isAdd = hasTarget(action, "add");
  const rows: Record<string, unknown>[] = [];
  for (const input of action.inputs ?? []) {
    rows.push(...templateRows(input, isAdd, attributePermissions, context.variables));
  }

  return {
    prompt: action.prompt ?? action.name,
    rel: action.rel.join(" "),
    data: groupSections(rows),
  };
}

/**
 * A single item's template uses its attribute permissions. A template for several items is a form
 * for a new object, so it uses the permissions of an owner of a new object of the first item's type.
 */
function templateAttributePermissions(
  document: RunTimeDocument,
  context: TemplateContext,
): Readonly<Record<string, readonly Permission[]>> {
  if (context.single) {
    return context.single.attributePermissions;
  }

  const type = context.firstType ? document.registry.get(context.firstType) : undefined;
  if (!type) {
    return {};
  }
  const owner = new PermissionContext(document.caller.sub, document.caller.groups);
  const empty = { ...newObject(type), owner: owner.sub };

  return owner.getAllAttributePermissions(empty, type);
}

function templateRows(
  input: ActionInput,
  isAdd: boolean,
  attributePermissions: Readonly<Record<string, readonly Permission[]>>,
  variables: Record<string, unknown>,
): Record<string, unknown>[] {
  const section = input.section;
  const permissionName = section ?? input.name;
  const readOnlyByPermission = arePermissionsReadOnly(attributePermissions[permissionName] ?? []);
  const value = isAdd ? input.value : variables[section ?? input.name];

  if (
    section !== undefined && Array.isArray(value) && value.length > 0 && value.every(isHeaObject)
  ) {
    const readOnly = readOnlyByPermission || (input.readOnly ?? false);
    const rows = [sectionRow(input, -1, input.value ?? null, readOnly, variables)];
    value.forEach((element, index) => {
      rows.push(sectionRow(input, index, element[input.name] ?? null, readOnly, variables));
    });
    return rows;
  }

  const readOnly = input.readOnly ?? readOnlyByPermission;
  if (section !== undefined && isHeaObject(value) && Object.keys(value).length > 0) {
    const memberValue = value[input.name] ?? null;
    return [{
      section,
      ...(input.sectionPrompt !== undefined ? { sectionPrompt: input.sectionPrompt } : {}),
      ...inputRow(input, memberValue, readOnly),
      ...extendedProperties(input, variables, memberValue),
    }];
  }
  if (section !== undefined) {
    return [sectionRow(input, -1, input.value ?? null, readOnly, variables)];
  }

  const rowValue = value ?? input.value ?? null;
  return [{
    ...inputRow(input, rowValue, readOnly),
    ...extendedProperties(input, variables, rowValue),
  }];
}

function sectionRow(
  input: ActionInput,
  index: number,
  value: unknown,
  readOnly: boolean,
  variables: Record<string, unknown>,
): Record<string, unknown> {
  return {
    section: input.section,
    index,
    ...(input.sectionPrompt !== undefined ? { sectionPrompt: input.sectionPrompt } : {}),
    ...inputRow(input, value, readOnly),
    ...extendedProperties(input, variables, value),
  };
}

function inputRow(input: ActionInput, value: unknown, readOnly: boolean): Record<string, unknown> {
  return {
    name: input.name,
    value,
    prompt: input.prompt ?? input.name,
    required: input.required ?? false,
    readOnly,
    pattern: input.pattern ?? null,
  };
}

/** HEA's input properties; select inputs also get their options and a value in string form. */
function extendedProperties(
  input: ActionInput,
  variables: Record<string, unknown>,
  value: unknown,
): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  if (input.type !== undefined) {
    result.type = input.type;
  }
  if (input.cardinality !== undefined) {
    result.cardinality = input.cardinality;
  }
  if (input.display !== undefined) {
    result.display = input.display;
  }
  if (input.objectUrlTargetTypesInclude !== undefined) {
    result.objectUrlTargetTypesInclude = input.objectUrlTargetTypesInclude;
  }
  if (input.type === "select") {
    if (input.suggest) {
      result.options = input.suggest;
    } else if (input.optionsFromUrl) {
      result.options = {
        href: expandTemplate(input.optionsFromUrl.href ?? input.optionsFromUrl.path, variables),
        text: input.optionsFromUrl.text,
        value: input.optionsFromUrl.value,
      };
    }
    result.value = selectValue(value);
  }

  return result;
}

/** Select inputs submit strings, so their values are shown as strings: booleans as `true`/`false`. */
function selectValue(value: unknown): unknown {
  if (typeof value === "boolean") {
    return value ? "true" : "false";
  }
  if (Array.isArray(value)) {
    return value.map(selectValue);
  }

  return value === null || value === undefined ? null : String(value);
}

/** Orders each run of rows of one section by index, keeping the order of everything else. */
function groupSections(rows: Record<string, unknown>[]): Record<string, unknown>[] {
  const result: Record<string, unknown>[] = [];
  let run: Record<string, unknown>[] = [];
  let runSection: unknown;
  const flush = () => {
    result.push(...run.sort((a, b) => Number(a.index ?? 0) - Number(b.index ?? 0)));
    run = [];
  };

  for (const current of rows) {
    const section = current.section;
    if (section === undefined) {
      flush();
      result.push(current);
      runSection = undefined;
      continue;
    }
    if (section !== runSection) {
      flush();
      runSection = section;
    }
    run.push(current);
  }
  flush();

  return result;
}

function isHeaObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) &&
    typeof (value as Record<string, unknown>).type === "string";
}
