import assert from "node:assert/strict";
import { PermissionContext, TypeRegistry } from "../objects/mod.ts";
import { ActionSet } from "./action_set.ts";
import type { DocumentItem, RunTimeDocument } from "./document.ts";
import { NVP_JSON_MEDIA_TYPE, renderNvpJson } from "./nvp_json.ts";

function documentOf(overrides: Partial<RunTimeDocument> = {}): RunTimeDocument {
  return {
    href: "http://localhost:8080/notes/",
    actions: [],
    items: [],
    parameters: {},
    headers: {},
    registry: new TypeRegistry(),
    caller: new PermissionContext("alice"),
    ...overrides,
  };
}

async function renderText(document: RunTimeDocument): Promise<string> {
  return (await Array.fromAsync(renderNvpJson(document))).join("");
}

Deno.test("NVP_JSON_MEDIA_TYPE is application/json", () => {
  assert.equal(NVP_JSON_MEDIA_TYPE, "application/json");
});

Deno.test("renderNvpJson renders an empty array", async () => {
  assert.equal(await renderText(documentOf()), "[]");
});

Deno.test("renderNvpJson renders the objects only", async () => {
  const actions = new ActionSet([{ name: "self", type: "safe", target: ["item", "read", "cj"] }])
    .attach([{ name: "self", path: "notes/{id}", rel: "self" }], "http://localhost:8080");
  const items: DocumentItem[] = [
    {
      object: {
        type: "example.Note",
        id: "1",
        tags: [{ type: "example.Tag", label: "a" }],
        main_tag: { type: "example.Tag", label: "b" },
      },
      permissions: ["VIEWER"],
      attributePermissions: { id: ["VIEWER"] },
    },
    {
      object: { type: "example.Note", id: "2", text: null },
      permissions: [],
      attributePermissions: {},
    },
  ];

  const parsed = JSON.parse(await renderText(documentOf({ actions, items })));

  assert.deepEqual(parsed, [
    {
      type: "example.Note",
      id: "1",
      tags: [{ type: "example.Tag", label: "a" }],
      main_tag: { type: "example.Tag", label: "b" },
    },
    { type: "example.Note", id: "2", text: null },
  ]);
});

Deno.test("renderNvpJson streams an async iterable of items", async () => {
  async function* source(): AsyncGenerator<DocumentItem> {
    for (let index = 0; index < 1000; index++) {
      yield {
        object: { type: "example.Note", id: String(index), text: `line\n"${index}"` },
        permissions: [],
        attributePermissions: {},
      };
    }
  }

  const chunks = await Array.fromAsync(renderNvpJson(documentOf({ items: source() })));
  const parsed = JSON.parse(chunks.join(""));

  assert.ok(chunks.length > 1000);
  assert.equal(parsed.length, 1000);
  assert.equal(parsed[999].text, 'line\n"999"');
});
