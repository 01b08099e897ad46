import assert from "node:assert/strict";
import { PermissionContext, TypeRegistry } from "../objects/mod.ts";
import type { RunTimeAction } from "./action.ts";
import { ActionSet } from "./action_set.ts";
import type { DocumentItem, RunTimeDocument } from "./document.ts";
import { renderWstl, WSTL_MEDIA_TYPE } from "./wstl_json.ts";

const BASE = "http://localhost:8080";

function documentOf(overrides: Partial<RunTimeDocument> = {}): RunTimeDocument {
  return {
    href: `${BASE}/notes/`,
    actions: [],
    items: [],
    parameters: {},
    headers: {},
    registry: new TypeRegistry(),
    caller: new PermissionContext("alice"),
    ...overrides,
  };
}

async function render(document: RunTimeDocument): Promise<Record<string, unknown>[]> {
  return JSON.parse((await Array.fromAsync(renderWstl(document))).join(""));
}

const ITEMS: DocumentItem[] = [
  {
    object: { type: "example.Note", id: "1", text: "a" },
    permissions: ["VIEWER"],
    attributePermissions: { id: ["VIEWER"], text: ["VIEWER"] },
  },
  {
    object: { type: "example.Note", id: "2", text: "b" },
    permissions: ["VIEWER", "EDITOR"],
    attributePermissions: { id: ["VIEWER"], text: ["VIEWER", "EDITOR"] },
  },
];

Deno.test("WSTL_MEDIA_TYPE is HEA's media type", () => {
  assert.equal(WSTL_MEDIA_TYPE, "application/vnd.wstl+json");
});

Deno.test("renderWstl renders one document with data and permissions", async () => {
  const documents = await render(documentOf({ items: ITEMS }));

  assert.deepEqual(documents, [{
    $schema: "http://json-schema.org/draft-07/schema#",
    wstl: {
      actions: [],
      data: [
        { type: "example.Note", id: "1", text: "a" },
        { type: "example.Note", id: "2", text: "b" },
      ],
      hea: {
        href: `${BASE}/notes/`,
        permissions: [["VIEWER"], ["VIEWER", "EDITOR"]],
        attribute_permissions: [
          { id: ["VIEWER"], text: ["VIEWER"] },
          { id: ["VIEWER"], text: ["VIEWER", "EDITOR"] },
        ],
      },
    },
  }]);
});

Deno.test("renderWstl renders an empty document", async () => {
  const documents = await render(documentOf());

  assert.deepEqual(documents, [{
    $schema: "http://json-schema.org/draft-07/schema#",
    wstl: {
      actions: [],
      data: [],
      hea: { href: `${BASE}/notes/`, permissions: [], attribute_permissions: [] },
    },
  }]);
});

Deno.test("renderWstl keeps action URL templates unexpanded", async () => {
  const actions = new ActionSet([{
    name: "self",
    type: "safe",
    action: "read",
    target: ["item", "read", "cj"],
    prompt: "View",
  }]).attach([{ name: "self", path: "notes/{id}", rel: "self hea-self" }], BASE);

  const [document] = await render(documentOf({ actions, items: ITEMS }));

  assert.deepEqual((document?.wstl as Record<string, unknown>).actions, [{
    name: "self",
    type: "safe",
    action: "read",
    target: "item read cj",
    prompt: "View",
    href: `${BASE}/notes/{id}`,
    rel: ["self", "hea-self"],
  }]);
});

Deno.test("renderWstl moves HEA's input properties under hea", async () => {
  const actions = new ActionSet([{
    name: "edit",
    type: "unsafe",
    target: ["item", "cj-template"],
    inputs: [
      { name: "text", prompt: "Text", required: true },
      {
        name: "user",
        type: "select",
        section: "user_shares",
        sectionPrompt: "Users",
        cardinality: "single",
        display: true,
        optionsFromUrl: { path: "people/", value: "id", text: "display_name" },
        objectUrlTargetTypesInclude: ["example.Person"],
      },
    ],
  }]).attach([{ name: "edit", path: "notes/{id}" }], BASE);

  const [document] = await render(documentOf({ actions }));
  const [action] = (document?.wstl as { actions: Record<string, unknown>[] }).actions;

  assert.deepEqual(action?.inputs, [
    { name: "text", prompt: "Text", required: true },
    {
      name: "user",
      type: "select",
      hea: {
        section: "user_shares",
        sectionPrompt: "Users",
        cardinality: "single",
        display: true,
        optionsFromUrl: {
          path: "people/",
          value: "id",
          text: "display_name",
          href: `${BASE}/people/`,
        },
        objectUrlTargetTypesInclude: ["example.Person"],
      },
    },
  ]);
});

Deno.test("renderWstl writes itemIf as text under hea", async () => {
  const action: RunTimeAction = {
    name: "open",
    type: "safe",
    target: ["item", "read", "cj"],
    href: `${BASE}/notes/{id}/opener`,
    rel: ["hea-opener-choices"],
    itemIf: ({ permissions }) => permissions.includes("EDITOR"),
  };

  const [document] = await render(documentOf({ actions: [action] }));
  const [rendered] = (document?.wstl as { actions: Record<string, unknown>[] }).actions;

  assert.equal(typeof (rendered?.hea as Record<string, unknown>).itemIf, "string");
  assert.match(String((rendered?.hea as Record<string, unknown>).itemIf), /EDITOR/);
  assert.equal(Object.hasOwn(rendered ?? {}, "itemIf"), false);
});

Deno.test("renderWstl streams an async iterable of items", async () => {
  async function* source(): AsyncGenerator<DocumentItem> {
    for (let index = 0; index < 1000; index++) {
      yield {
        object: { type: "example.Note", id: String(index) },
        permissions: ["VIEWER"],
        attributePermissions: {},
      };
    }
  }

  const chunks = await Array.fromAsync(renderWstl(documentOf({ items: source() })));
  const [document] = JSON.parse(chunks.join(""));

  assert.ok(chunks.length > 1000);
  assert.equal(document.wstl.data.length, 1000);
  assert.equal(document.wstl.hea.permissions.length, 1000);
  assert.equal(document.wstl.data[999].id, "999");
});
