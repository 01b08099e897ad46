/**
 * Micro benchmarks of Collection+JSON rendering: one registry component with its form, and a
 * listing of 100 components, with the caller's permissions computed beforehand so that only the
 * representor is timed. Run with `deno bench representors/collection_json_bench.ts`.
 *
 * @module
 */

import {
  ComponentType,
  type DesktopObject,
  parseObject,
  PermissionContext,
  PropertyType,
  ResourceType,
  TypeRegistry,
} from "../objects/mod.ts";
import { type Action, ActionSet } from "./mod.ts";
import { renderCollectionJson } from "./collection_json.ts";
import type { DocumentItem, RunTimeDocument } from "./document.ts";

const REGISTRY = new TypeRegistry([ComponentType, ResourceType, PropertyType]);
const CALLER = new PermissionContext("system|test");

/** A form shaped like the registry's component form: plain inputs, a list section and shares. */
const ACTIONS: readonly Action[] = [
  {
    name: "component-properties",
    type: "unsafe",
    target: ["item", "cj-template"],
    prompt: "Properties",
    inputs: [
      { name: "id", prompt: "Id", readOnly: true },
      { name: "name", prompt: "Unique name", required: true, readOnly: true },
      { name: "display_name", prompt: "Name", required: true },
      { name: "description", prompt: "Description", type: "textarea" },
      { name: "base_url", prompt: "Base URL", required: true, type: "url" },
      {
        name: "resource_type_name",
        prompt: "Resource type",
        required: true,
        section: "resources",
        sectionPrompt: "Resources",
      },
      { name: "base_path", prompt: "Base path", required: true, section: "resources" },
      {
        name: "manages_creators",
        prompt: "Manages who can create objects",
        type: "select",
        suggest: [{ value: "false", text: "No" }, { value: "true", text: "Yes" }],
        value: "false",
        section: "resources",
      },
      {
        name: "owner",
        prompt: "Owner",
        type: "select",
        readOnly: true,
        optionsFromUrl: { path: "peopleviews/", value: "id", text: "display_name" },
      },
      { name: "created", prompt: "Created", readOnly: true, type: "datetime" },
      {
        name: "user",
        prompt: "User",
        type: "select",
        section: "user_shares",
        optionsFromUrl: { path: "peopleviews/", value: "id", text: "display_name" },
      },
      {
        name: "permissions",
        prompt: "Permissions",
        type: "select",
        section: "user_shares",
        cardinality: "multiple",
        suggest: [{ value: "VIEWER", text: "Viewer" }, { value: "EDITOR", text: "Editor" }],
      },
    ],
  },
  { name: "component-self", type: "safe", target: ["item", "read", "cj"], prompt: "View" },
];
const RUN_TIME_ACTIONS = new ActionSet(ACTIONS).attach([
  { name: "component-properties", rel: "hea-properties" },
  { name: "component-self", path: "components/{id}", rel: "self" },
], "http://localhost:8080");

/** Returns a component like those of the HTTP benchmarks: two resources and a share to every user. */
function component(index: number): DesktopObject {
  const object = parseObject(
    {
      type: "heaobject.registry.Component",
      name: `bench-component-${index}`,
      base_url: "http://localhost:9000",
      owner: "system|none",
      resources: [
        {
          type: "heaobject.registry.Resource",
          resource_type_name: "a.Folder",
          base_path: "folders",
        },
        { type: "heaobject.registry.Resource", resource_type_name: "a.Item", base_path: "items" },
      ],
      user_shares: [{
        type: "heaobject.root.ShareImpl",
        user: "system|all",
        permissions: ["VIEWER"],
      }],
    },
    ComponentType,
    { registry: REGISTRY },
  ) as DesktopObject;
  object.owner = "system|none";
  object.id = (0x6650f0c2a3b4c5d6e7f80000 + index).toString(16).padStart(24, "0");

  return object;
}

function documentItem(object: DesktopObject): DocumentItem {
  const permissions = CALLER.getPermissions(object, ComponentType);

  return {
    object,
    permissions,
    attributePermissions: CALLER.getAllAttributePermissions(object, ComponentType, permissions),
  };
}

function runTimeDocument(items: readonly DocumentItem[]): RunTimeDocument {
  return {
    href: "http://127.0.0.1:8080/components",
    actions: RUN_TIME_ACTIONS,
    items,
    parameters: items.length === 1 ? { id: String(items[0]?.object.id) } : {},
    headers: { accept: "application/vnd.collection+json", "x-forwarded-host": "localhost:8080" },
    registry: REGISTRY,
    caller: CALLER,
  };
}

/** Renders a document and returns its length, so the output cannot be optimized away. */
async function render(document: RunTimeDocument): Promise<number> {
  let length = 0;
  for await (const chunk of renderCollectionJson(document)) {
    length += chunk.length;
  }

  return length;
}

const ONE = runTimeDocument([documentItem(component(0))]);
const HUNDRED = runTimeDocument(
  Array.from({ length: 100 }, (_, index) => documentItem(component(index))),
);

Deno.bench(
  "collection+json: one component with its form",
  { group: "collection+json" },
  async () => {
    await render(ONE);
  },
);

Deno.bench(
  "collection+json: 100 components",
  { group: "collection+json", baseline: true },
  async () => {
    await render(HUNDRED);
  },
);
