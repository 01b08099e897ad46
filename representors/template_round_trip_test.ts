import assert from "node:assert/strict";
import fc from "fast-check";
import {
  ComponentType,
  newObject,
  parseObject,
  PermissionContext,
  PropertyType,
  ResourceType,
  TypeRegistry,
} from "../objects/mod.ts";
import type { Action } from "./action.ts";
import { ActionSet } from "./action_set.ts";
import { renderCollectionJson } from "./collection_json.ts";
import { templateToObject } from "./request_body.ts";

const registry = new TypeRegistry([ComponentType, ResourceType, PropertyType]);

const FORM: Action = {
  name: "test-component-properties",
  type: "unsafe",
  target: ["item", "cj-template"],
  inputs: [
    { name: "type" },
    { name: "name" },
    { name: "display_name" },
    { name: "description", type: "textarea" },
    { name: "base_url" },
    { name: "external_base_url" },
    { name: "type", section: "resources", value: "heaobject.registry.Resource" },
    { name: "resource_type_name", section: "resources" },
    { name: "base_path", section: "resources" },
    {
      name: "manages_creators",
      section: "resources",
      type: "select",
      suggest: [{ value: "true", text: "Yes" }, { value: "false", text: "No" }],
    },
  ],
};

const text = fc.string({ maxLength: 30 });
const nullableText = fc.option(text, { nil: null });
const resource = fc.record({
  resource_type_name: fc.stringMatching(/^[a-z]{1,8}(\.[A-Za-z]{1,8}){1,3}$/),
  base_path: text,
  manages_creators: fc.boolean(),
});
const component = fc.record({
  name: text,
  display_name: text,
  description: nullableText,
  base_url: fc.option(fc.webUrl(), { nil: null }),
  external_base_url: fc.option(fc.webUrl(), { nil: null }),
  resources: fc.array(resource, { maxLength: 4 }),
});

/** Fills the template the way a client does: each row's value is submitted as shown. */
function submittedTemplate(template: { data: Record<string, unknown>[] }): unknown {
  return {
    template: {
      data: template.data.map(({ name, value, section, index }) => ({
        name,
        value,
        section,
        index,
      })),
    },
  };
}

Deno.test("template parsed back gives the rendered object", async () => {
  await fc.assert(
    fc.asyncProperty(component, async (generated) => {
      const original = parseObject(
        {
          ...generated,
          type: ComponentType.name,
          resources: generated.resources.map((entry) => ({ ...entry, type: ResourceType.name })),
        },
        ComponentType,
        { registry },
      );
      original.owner = "alice";
      const caller = new PermissionContext("alice");
      const actions = new ActionSet([FORM]).attach([{ name: FORM.name }], "http://localhost");

      const chunks = await Array.fromAsync(renderCollectionJson({
        href: "http://localhost/components/1",
        actions,
        items: [{
          object: original,
          permissions: caller.getPermissions(original, ComponentType),
          attributePermissions: caller.getAllAttributePermissions(original, ComponentType),
        }],
        parameters: {},
        headers: {},
        registry,
        caller,
      }));
      const [document] = JSON.parse(chunks.join(""));
      const parsed = parseObject(
        templateToObject(submittedTemplate(document.collection.template)),
        ComponentType,
        { registry },
      );

      for (const name of ["name", "display_name", "description", "base_url", "external_base_url"]) {
        assert.deepEqual(parsed[name], original[name], name);
      }
      const resources = parsed.resources as Record<string, unknown>[];
      const expected = original.resources as Record<string, unknown>[];
      assert.equal(resources.length, expected.length);
      resources.forEach((entry, index) => {
        assert.equal(entry.resource_type_name, expected[index]?.resource_type_name);
        assert.equal(entry.base_path, expected[index]?.base_path);
        assert.equal(entry.manages_creators, expected[index]?.manages_creators);
      });
    }),
    { numRuns: 200 },
  );
});

Deno.test("template of a new object carries the input defaults", async () => {
  const caller = new PermissionContext("alice");
  const empty = { ...newObject(PropertyType), owner: "alice" };
  const actions = new ActionSet([{
    name: "test-property-new",
    type: "unsafe",
    target: ["list", "cj-template", "add"],
    inputs: [{ name: "type", value: PropertyType.name }, { name: "name", value: "NEW" }],
  }]).attach([{ name: "test-property-new" }], "http://localhost");

  const chunks = await Array.fromAsync(renderCollectionJson({
    href: "http://localhost/properties/",
    actions,
    items: [{ object: empty, permissions: caller.getPermissions(empty), attributePermissions: {} }],
    parameters: {},
    headers: {},
    registry,
    caller,
  }));
  const [document] = JSON.parse(chunks.join(""));
  const parsed = parseObject(
    templateToObject(submittedTemplate(document.collection.template)),
    PropertyType,
    {
      registry,
    },
  );

  assert.equal(parsed.name, "NEW");
});
