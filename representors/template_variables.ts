/**
 * URI template variables from objects, and RFC 6570 expansion.
 *
 * @module
 */

import { parseTemplate, type PrimitiveValue, type Template } from "url-template";
import type { HeaObject } from "../objects/mod.ts";

const parsedTemplates = new Map<string, Template>();
const MAX_CACHED_TEMPLATES = 1024;

/**
 * Expands an RFC 6570 URI template. Dotted variable names such as `{resources.base_path.0}` reach
 * nested attributes when the variables come from {@linkcode objectVariables}.
 *
 * @example
 * ```ts
 * import { expandTemplate } from "@hea/server/representors";
 * import assert from "node:assert/strict";
 *
 * assert.equal(expandTemplate("http://h/items/{id}", { id: "a b" }), "http://h/items/a%20b");
 * assert.equal(expandTemplate("http://h/{+path}", { path: "a/b" }), "http://h/a/b");
 * ```
 */
export function expandTemplate(
  template: string,
  variables: Readonly<Record<string, unknown>>,
): string {
  let parsed = parsedTemplates.get(template);
  if (!parsed) {
    parsed = parseTemplate(template);
    if (parsedTemplates.size >= MAX_CACHED_TEMPLATES) {
      parsedTemplates.clear();
    }
    parsedTemplates.set(template, parsed);
  }

  return parsed.expand(variables as Record<string, PrimitiveValue | PrimitiveValue[]>);
}

/**
 * Returns the template variables of an object: each attribute by name, each attribute of a nested
 * object as `attribute.member`, and each attribute of the objects in a list as
 * `attribute.member.index`.
 *
 * @example
 * ```ts
 * import { objectVariables } from "@hea/server/representors";
 * import assert from "node:assert/strict";
 *
 * const variables = objectVariables({
 *   type: "x.Y",
 *   id: "1",
 *   resources: [{ type: "x.R", base_path: "folders" }],
 * });
 * assert.equal(variables.id, "1");
 * assert.equal(variables["resources.base_path.0"], "folders");
 * ```
 */
export function objectVariables(object: HeaObject): Record<string, unknown> {
  const variables: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(object)) {
    variables[name] = value;
    if (isObjectValue(value)) {
      for (const [member, memberValue] of Object.entries(value)) {
        variables[`${name}.${member}`] = memberValue;
      }
    } else if (Array.isArray(value)) {
      value.forEach((element, index) => {
        if (isObjectValue(element)) {
          for (const [member, memberValue] of Object.entries(element)) {
            variables[`${name}.${member}.${index}`] = memberValue;
          }
        }
      });
    }
  }

  return variables;
}

function isObjectValue(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
