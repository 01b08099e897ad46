/**
 * The WeSTL representor (`application/vnd.wstl+json`): the run-time document itself, with the
 * actions' URL templates unexpanded.
 *
 * @module
 */

import type { Permission } from "../objects/mod.ts";
import type { RunTimeAction } from "./action.ts";
import { documentItems, type RunTimeDocument } from "./document.ts";

/** The media type of WeSTL documents. */
export const WSTL_MEDIA_TYPE = "application/vnd.wstl+json";

const WSTL_SCHEMA = "http://json-schema.org/draft-07/schema#";

/**
 * The input types that plain WeSTL has. HEA's own types (`datetime`, `url`, `object-url`...) go
 * under `hea`, where heaserver's design-time documents put them and its WeSTL output keeps them.
 */
const WSTL_INPUT_TYPES: ReadonlySet<string> = new Set(["textarea", "select"]);

/**
 * Streams a run-time document as WeSTL JSON: an array holding one document with the actions, the
 * data and, under `hea`, the request URL and the caller's permissions on each object and attribute.
 *
 * @example
 * ```ts
 * import { renderWstl } from "@hea/server/representors";
 * import { PermissionContext, TypeRegistry } from "@hea/server/objects";
 * import assert from "node:assert/strict";
 *
 * const chunks = await Array.fromAsync(renderWstl({
 *   href: "http://localhost:8080/notes/",
 *   actions: [],
 *   items: [{ object: { type: "x.Note", id: "1" }, permissions: ["VIEWER"], attributePermissions: { id: ["VIEWER"] } }],
 *   parameters: {},
 *   headers: {},
 *   registry: new TypeRegistry(),
 *   caller: new PermissionContext("alice"),
 * }));
 * const [document] = JSON.parse(chunks.join(""));
 * assert.deepEqual(document.wstl.data, [{ type: "x.Note", id: "1" }]);
 * assert.deepEqual(document.wstl.hea.permissions, [["VIEWER"]]);
 * ```
 */
export async function* renderWstl(document: RunTimeDocument): AsyncGenerator<string> {
  const permissions: (readonly Permission[])[] = [];
  const attributePermissions: Readonly<Record<string, readonly Permission[]>>[] = [];
  const actions = document.actions.map(wstlAction);

  const title = document.title === undefined ? "" : `"title":${JSON.stringify(document.title)},`;
  yield `[{"$schema":"${WSTL_SCHEMA}","wstl":{${title}"actions":${
    JSON.stringify(actions)
  },"data":[`;
  let count = 0;
  for await (const item of documentItems(document.items)) {
    yield (count++ === 0 ? "" : ",") + JSON.stringify(item.object);
    permissions.push(item.permissions);
    attributePermissions.push(item.attributePermissions);
  }
  const hea = { href: document.href, permissions, attribute_permissions: attributePermissions };
  yield `],"hea":${JSON.stringify(hea)}}}]`;
}

/**
 * Returns an action as WeSTL JSON: HEA's input properties, HEA's input types and the item condition
 * go under `hea`.
 */
function wstlAction(action: RunTimeAction): Record<string, unknown> {
  const { itemIf, inputs, ...rest } = action;
  const result: Record<string, unknown> = { ...rest, target: action.target.join(" ") };
  if (inputs) {
    result.inputs = inputs.map((input) => {
      const {
        section,
        sectionPrompt,
        cardinality,
        display,
        optionsFromUrl,
        objectUrlTargetTypesInclude,
        type,
        ...rest
      } = input;
      const plain = type !== undefined && WSTL_INPUT_TYPES.has(type) ? { ...rest, type } : rest;
      const hea = {
        ...(type !== undefined && !WSTL_INPUT_TYPES.has(type) ? { type } : {}),
        ...(section !== undefined ? { section } : {}),
        ...(sectionPrompt !== undefined ? { sectionPrompt } : {}),
        ...(cardinality !== undefined ? { cardinality } : {}),
        ...(display !== undefined ? { display } : {}),
        ...(optionsFromUrl !== undefined ? { optionsFromUrl } : {}),
        ...(objectUrlTargetTypesInclude !== undefined ? { objectUrlTargetTypesInclude } : {}),
      };
      return Object.keys(hea).length > 0 ? { ...plain, hea } : plain;
    });
  }
  if (itemIf) {
    result.hea = { itemIf: itemIf.toString() };
  }

  return result;
}
