import assert from "node:assert/strict";
import {
  attribute,
  completeObject,
  ComponentType,
  defineDesktopObjectType,
  defineObjectType,
  type HeaObject,
  newObject,
  type Permission,
  PermissionContext,
  PropertyType,
  ResourceType,
  type Share,
  TypeRegistry,
} from "../objects/mod.ts";
import type { Action, ActionInput, ActionLink, RunTimeAction } from "./action.ts";
import { ActionSet } from "./action_set.ts";
import {
  COLLECTION_JSON_MEDIA_TYPE,
  collectionDataRows,
  collectionItemLinks,
  renderCollectionJson,
} from "./collection_json.ts";
import type { DocumentItem, RunTimeDocument } from "./document.ts";

const BASE = "http://localhost:8080";
const GOLDEN_DIRECTORY = new URL("./testdata/", import.meta.url);

const Tag = defineObjectType({
  name: "example.Tag",
  displayName: "Tag",
  attributes: { label: attribute.string() },
});

const Note = defineDesktopObjectType({
  name: "example.Note",
  displayName: "Note",
  attributes: {
    text: attribute.string(),
    pinned: attribute.boolean(),
    main_tag: attribute.object("example.Tag"),
    tags: attribute.objects("example.Tag"),
  },
});

const Memo = defineDesktopObjectType({
  name: "example.Memo",
  displayName: "Memo",
  attributes: { text: attribute.string() },
});

const registry = new TypeRegistry([Tag, Note, Memo, ComponentType, ResourceType, PropertyType]);

/** The shape of a rendered collection, for reading test output. */
interface Collection {
  version: string;
  href: string;
  permissions: Permission[][];
  items?: Item[];
  links?: Link[];
  template?: Template;
  queries?: Query[];
}

interface Item {
  data?: Row[];
  rel?: string;
  href?: string;
  links: Link[];
}

interface Link {
  prompt: string;
  rel: string;
  href: string;
}

type Row = Record<string, unknown> & { name: string };

interface Template {
  prompt: string;
  rel: string;
  data: Row[];
}

interface Query {
  rel: string;
  href: string;
  prompt: string;
  data: Row[];
}

function userShare(user: string, permissions: Permission[]): Share {
  return {
    type: "heaobject.root.ShareImpl",
    user,
    group: "system|none",
    basis: "USER",
    permissions,
  };
}

/** A stored note owned by alice, with every attribute present. */
function note(attributes: Record<string, unknown> = {}): HeaObject {
  return completeObject({
    ...newObject(Note),
    id: "1",
    name: "n1",
    display_name: "First",
    owner: "alice",
    created: "2024-01-31T12:00:00.000Z",
    ...attributes,
  }, Note);
}

/** A document item with the caller's permissions computed as the HTTP layer does. */
function itemFor(object: HeaObject, caller = new PermissionContext("alice")): DocumentItem {
  const type = registry.get(object.type) ?? Note;
  const permissions = caller.getPermissions(object, type);

  return {
    object,
    permissions,
    attributePermissions: caller.getAllAttributePermissions(object, type, permissions),
  };
}

/** A document item with explicit permissions, for objects of no registered type. */
function plainItem(
  object: HeaObject,
  permissions: Permission[] = ["VIEWER"],
  attributePermissions: Record<string, Permission[]> = {},
): DocumentItem {
  return { object, permissions, attributePermissions };
}

function attach(actions: readonly Action[], links: readonly ActionLink[]): RunTimeAction[] {
  return new ActionSet(actions).attach(links, BASE);
}

function documentOf(overrides: Partial<RunTimeDocument> = {}): RunTimeDocument {
  return {
    href: `${BASE}/notes/1`,
    actions: [],
    items: [],
    parameters: {},
    headers: {},
    registry,
    caller: new PermissionContext("alice"),
    ...overrides,
  };
}

async function renderText(document: RunTimeDocument): Promise<string> {
  return (await Array.fromAsync(renderCollectionJson(document))).join("");
}

async function render(document: RunTimeDocument): Promise<Collection> {
  const parsed = JSON.parse(await renderText(document));
  assert.ok(Array.isArray(parsed), "the document is a JSON array");
  assert.equal(parsed.length, 1, "the array holds one document");

  return parsed[0].collection;
}

function templateOf(collection: Collection): Template {
  assert.ok(collection.template, "the collection has a template");

  return collection.template;
}

/** Returns the one template row with a name and, when given, a section and index. */
function rowOf(template: Template, name: string, section?: string, index?: number): Row {
  const rows = template.data.filter((row) =>
    row.name === name && row.section === section && (index === undefined || row.index === index)
  );
  assert.equal(rows.length, 1, `one row ${section ?? ""}.${name}[${index ?? ""}]`);

  return rows[0] as Row;
}

/**
 * Compares a value with the JSON file `name` in testdata. Set UPDATE_GOLDEN=1 to rewrite the file
 * from the value, then review the difference before keeping it.
 */
async function assertGolden(name: string, actual: unknown): Promise<void> {
  const url = new URL(name, GOLDEN_DIRECTORY);
  if (Deno.env.get("UPDATE_GOLDEN") === "1") {
    await Deno.writeTextFile(url, JSON.stringify(actual, null, 2) + "\n");
  }

  assert.deepEqual(actual, JSON.parse(await Deno.readTextFile(url)));
}

const PROPERTIES_INPUTS: readonly ActionInput[] = [
  { name: "id", prompt: "Id", readOnly: true, display: false },
  { name: "display_name", prompt: "Name", required: true },
  { name: "text", prompt: "Text", type: "textarea" },
  {
    name: "owner",
    prompt: "Owner",
    type: "select",
    optionsFromUrl: { path: "people/?owner={owner}", value: "id", text: "display_name" },
  },
  {
    name: "user",
    prompt: "User",
    type: "select",
    section: "user_shares",
    sectionPrompt: "User permissions",
    value: "system|none",
  },
  {
    name: "permissions",
    prompt: "Permissions",
    type: "select",
    section: "user_shares",
    cardinality: "multiple",
    suggest: [{ value: "VIEWER", text: "Viewer" }, { value: "EDITOR", text: "Editor" }],
  },
];

const PROPERTIES: Action = {
  name: "example-note-get-properties",
  type: "unsafe",
  target: ["item", "cj-template"],
  rel: ["hea-properties"],
  prompt: "Properties",
  inputs: PROPERTIES_INPUTS,
};

Deno.test("COLLECTION_JSON_MEDIA_TYPE is HEA's media type", () => {
  assert.equal(COLLECTION_JSON_MEDIA_TYPE, "application/vnd.collection+json");
});

Deno.test("renderCollectionJson renders one item's data rows", async () => {
  const object = { type: "example.Note", id: "1", name: "n1", text: "hi", pinned: false };

  const collection = await render(documentOf({ items: [plainItem(object)] }));

  assert.equal(collection.version, "1.0");
  assert.equal(collection.href, `${BASE}/notes/1`);
  assert.deepEqual(collection.items, [{
    data: [
      { name: "type", value: "example.Note", prompt: "type", display: true },
      { name: "id", value: "1", prompt: "id", display: false },
      { name: "name", value: "n1", prompt: "name", display: true },
      { name: "text", value: "hi", prompt: "text", display: true },
      { name: "pinned", value: false, prompt: "pinned", display: true },
    ],
    links: [],
  }]);
});

Deno.test("collectionDataRows gives nested object rows a section", () => {
  const rows = collectionDataRows({
    type: "example.Note",
    main_tag: { type: "example.Tag", id: "t", label: "work", meta: { hidden: true } },
    meta: { hidden: true },
  });

  assert.deepEqual(rows, [
    { name: "type", value: "example.Note", prompt: "type", display: true },
    { section: "main_tag", name: "type", value: "example.Tag", prompt: "type", display: true },
    { section: "main_tag", name: "id", value: "t", prompt: "id", display: false },
    { section: "main_tag", name: "label", value: "work", prompt: "label", display: true },
  ]);
});

Deno.test("collectionDataRows gives list rows a section and index", () => {
  const rows = collectionDataRows({
    type: "example.Note",
    tags: [
      { type: "example.Tag", label: "a" },
      { type: "example.Tag", label: "b", meta: {} },
    ],
  });

  assert.deepEqual(rows, [
    { name: "type", value: "example.Note", prompt: "type", display: true },
    {
      section: "tags",
      index: 0,
      name: "type",
      value: "example.Tag",
      prompt: "type",
      display: true,
    },
    { section: "tags", index: 0, name: "label", value: "a", prompt: "label", display: true },
    {
      section: "tags",
      index: 1,
      name: "type",
      value: "example.Tag",
      prompt: "type",
      display: true,
    },
    { section: "tags", index: 1, name: "label", value: "b", prompt: "label", display: true },
  ]);
});

Deno.test("collectionDataRows keeps plain values in one row", () => {
  const cases: [string, unknown][] = [
    ["empty list", []],
    ["list of strings", ["a", "b"]],
    ["object without type", { a: 1 }],
    ["empty object", {}],
    ["null", null],
    ["number", 3],
  ];

  for (const [name, value] of cases) {
    const rows = collectionDataRows({ type: "example.Note", extra: value });
    assert.deepEqual(
      rows[1],
      { name: "extra", value, prompt: "extra", display: true },
      name,
    );
    assert.equal(rows.length, 2, name);
  }
});

Deno.test("renderCollectionJson renders a full note", async () => {
  const object = note({
    text: "hi",
    main_tag: { type: "example.Tag", label: "work", type_display_name: "Tag" },
    tags: [
      { type: "example.Tag", label: "a", type_display_name: "Tag" },
      { type: "example.Tag", label: "b", type_display_name: "Tag" },
    ],
  });

  const collection = await render(documentOf({ items: [itemFor(object)] }));
  const rows = collection.items?.[0]?.data ?? [];

  assert.deepEqual(rows.find((row) => row.name === "label" && row.section === "main_tag"), {
    section: "main_tag",
    name: "label",
    value: "work",
    prompt: "label",
    display: true,
  });
  assert.deepEqual(rows.find((row) => row.name === "label" && row.index === 1), {
    section: "tags",
    index: 1,
    name: "label",
    value: "b",
    prompt: "label",
    display: true,
  });
  assert.deepEqual(rows.find((row) => row.name === "id"), {
    name: "id",
    value: "1",
    prompt: "id",
    display: false,
  });
  assert.equal(
    rows.filter((row) => row.section === undefined).length,
    Object.keys(Note.attributes).length - 2,
    "one row per attribute but main_tag and tags",
  );
});

Deno.test("renderCollectionJson omits empty items, links and queries", async () => {
  const collection = await render(documentOf({ href: `${BASE}/notes/` }));

  assert.deepEqual(collection, {
    version: "1.0",
    href: `${BASE}/notes/`,
    permissions: [],
  });
});

Deno.test("renderCollectionJson lists each item's permissions", async () => {
  const items = [
    itemFor(note({ id: "1" })),
    itemFor(note({ id: "2", owner: "bob", user_shares: [userShare("alice", ["VIEWER"])] })),
    plainItem({ type: "example.Note", id: "3" }, []),
  ];

  const collection = await render(documentOf({ href: `${BASE}/notes/`, items }));

  assert.deepEqual(collection.permissions, [
    ["VIEWER", "EDITOR", "SHARER", "COOWNER", "DELETER"],
    ["VIEWER"],
    [],
  ]);
  assert.equal(collection.items?.length, 3);
});

Deno.test("renderCollectionJson omits data when includeData is false", async () => {
  const actions = attach([{
    name: "self",
    type: "safe",
    target: ["item", "read", "cj"],
    prompt: "View",
  }], [{ name: "self", path: "notes/{id}", rel: "self" }]);

  const collection = await render(documentOf({
    actions,
    includeData: false,
    items: [plainItem({ type: "example.Note", id: "1" })],
  }));

  assert.deepEqual(collection.items, [{
    links: [{ prompt: "View", rel: "self", href: `${BASE}/notes/1` }],
  }]);
  assert.deepEqual(collection.permissions, [["VIEWER"]]);
});

Deno.test("renderCollectionJson sets item href and rel from item href cj", async () => {
  const actions = attach([
    { name: "self-href", type: "safe", target: ["item", "href", "cj"] },
  ], [{ name: "self-href", path: "volumes/{volume_id}/notes/{id}", rel: "self hea-self" }]);

  const collection = await render(documentOf({
    actions,
    parameters: { volume_id: "v1", id: "ignored" },
    items: [plainItem({ type: "example.Note", id: "a b" })],
  }));
  const item = collection.items?.[0];

  assert.equal(item?.rel, "self hea-self");
  assert.equal(item?.href, `${BASE}/volumes/v1/notes/a%20b`);
});

Deno.test("renderCollectionJson uses the first item href action that applies", async () => {
  const actions = attach([
    { name: "folder-href", type: "safe", target: ["item", "href", "cj"] },
    { name: "note-href", type: "safe", target: ["item", "href", "cj"] },
  ], [
    { name: "folder-href", path: "folders/{id}", rel: "folder", itemIf: () => false },
    { name: "note-href", path: "notes/{id}", rel: "self" },
  ]);

  const collection = await render(documentOf({
    actions,
    items: [plainItem({ type: "example.Note", id: "1" })],
  }));

  assert.equal(collection.items?.[0]?.rel, "self");
  assert.equal(collection.items?.[0]?.href, `${BASE}/notes/1`);
});

Deno.test("renderCollectionJson needs the cj target for item href", async () => {
  const actions = attach([
    { name: "self-href", type: "safe", target: ["item", "href"] },
  ], [{ name: "self-href", path: "notes/{id}", rel: "self" }]);

  const collection = await render(documentOf({
    actions,
    items: [plainItem({ type: "example.Note", id: "1" })],
  }));

  assert.deepEqual(Object.keys(collection.items?.[0] ?? {}).sort(), ["data", "links"]);
});

Deno.test("renderCollectionJson adds item links where itemIf holds", async () => {
  const seen: { id: unknown; permissions: readonly Permission[] }[] = [];
  const actions = attach([
    { name: "self", type: "safe", target: ["item", "read", "cj"], prompt: "View" },
    { name: "open", type: "safe", target: ["item", "read", "cj"], prompt: "Open" },
    { name: "list-only", type: "safe", target: ["list", "read", "cj"], prompt: "List" },
    { name: "no-cj", type: "safe", target: ["item", "read"], prompt: "Hidden" },
  ], [
    { name: "self", path: "notes/{id}", rel: "self" },
    {
      name: "open",
      path: "notes/{id}/opener",
      rel: "hea-opener-choices",
      itemIf: ({ item, permissions }) => {
        seen.push({ id: item.id, permissions });
        return item.id === "2";
      },
    },
    { name: "list-only", path: "notes/" },
    { name: "no-cj", path: "notes/{id}/hidden" },
  ]);

  const collection = await render(documentOf({
    href: `${BASE}/notes/`,
    actions,
    items: [
      plainItem({ type: "example.Note", id: "1" }, ["VIEWER"]),
      plainItem({ type: "example.Note", id: "2" }, ["VIEWER", "EDITOR"]),
    ],
  }));

  assert.deepEqual(collection.items?.[0]?.links, [
    { prompt: "View", rel: "self", href: `${BASE}/notes/1` },
  ]);
  assert.deepEqual(collection.items?.[1]?.links, [
    { prompt: "View", rel: "self", href: `${BASE}/notes/2` },
    { prompt: "Open", rel: "hea-opener-choices", href: `${BASE}/notes/2/opener` },
  ]);
  assert.deepEqual(seen.filter((call) => call.id === "1")[0], {
    id: "1",
    permissions: ["VIEWER"],
  });
  assert.deepEqual(seen.filter((call) => call.id === "2")[0], {
    id: "2",
    permissions: ["VIEWER", "EDITOR"],
  });
});

Deno.test("collectionItemLinks expands nested attributes and parameters", () => {
  const actions = attach([
    { name: "tag", type: "safe", target: ["item", "read", "cj"] },
    { name: "first", type: "safe", target: ["item", "read", "cj"] },
    { name: "volume", type: "safe", target: ["item", "read", "cj"] },
  ], [
    { name: "tag", path: "tags/{main_tag.label}", rel: "hea-tag" },
    { name: "first", path: "tags/{tags.label.0}", rel: "hea-first" },
    { name: "volume", path: "volumes/{volume_id}/notes/{id}", rel: "hea-volume" },
  ]);
  const item = plainItem({
    type: "example.Note",
    id: "1",
    main_tag: { type: "example.Tag", label: "work" },
    tags: [{ type: "example.Tag", label: "a" }, { type: "example.Tag", label: "b" }],
  });

  const links = collectionItemLinks(actions, item, { volume_id: "v1" });

  assert.deepEqual(links, [
    { prompt: "", rel: "hea-tag", href: `${BASE}/tags/work` },
    { prompt: "", rel: "hea-first", href: `${BASE}/tags/a` },
    { prompt: "", rel: "hea-volume", href: `${BASE}/volumes/v1/notes/1` },
  ]);
});

Deno.test("collectionItemLinks lets attributes override parameters", () => {
  const actions = attach([{ name: "self", type: "safe", target: ["item", "read", "cj"] }], [
    { name: "self", path: "notes/{id}", rel: "self" },
  ]);

  const links = collectionItemLinks(actions, plainItem({ type: "example.Note", id: "2" }), {
    id: "1",
  });

  assert.equal(links[0]?.href, `${BASE}/notes/2`);
});

Deno.test("renderCollectionJson adds document links from safe app cj actions", async () => {
  const actions = attach([
    { name: "search", type: "safe", target: ["app", "cj"], prompt: "Search" },
    { name: "unsafe", type: "unsafe", target: ["app", "cj"], prompt: "Unsafe" },
    {
      name: "with-inputs",
      type: "safe",
      target: ["app", "cj"],
      prompt: "Form",
      inputs: [{ name: "q" }],
    },
    { name: "no-cj", type: "safe", target: ["app"], prompt: "No CJ" },
    { name: "item-read", type: "safe", target: ["item", "read", "cj"], prompt: "Item" },
  ], [
    { name: "search", path: "volumes/{volume_id}/search?owner={id}", rel: "hea-search" },
    { name: "unsafe", path: "unsafe" },
    { name: "with-inputs", path: "form" },
    { name: "no-cj", path: "nocj" },
    { name: "item-read", path: "notes/{id}" },
  ]);

  const collection = await render(documentOf({
    actions,
    parameters: { volume_id: "v1" },
    items: [plainItem({ type: "example.Note", id: "1" })],
  }));

  assert.deepEqual(collection.links, [
    { href: `${BASE}/volumes/v1/search?owner=1`, rel: "hea-search", prompt: "Search" },
  ]);
});

Deno.test("renderCollectionJson expands document links with headers", async () => {
  const actions = attach([{ name: "me", type: "safe", target: ["app", "cj"], prompt: "Me" }], [
    { name: "me", path: "people/{oidc_claim_sub}", rel: "hea-person" },
  ]);

  const collection = await render(documentOf({
    actions,
    headers: { oidc_claim_sub: "alice" },
  }));

  assert.deepEqual(collection.links, [
    { href: `${BASE}/people/alice`, rel: "hea-person", prompt: "Me" },
  ]);
});

Deno.test("renderCollectionJson links ignore attributes of many items", async () => {
  const actions = attach([{ name: "up", type: "safe", target: ["app", "cj"] }], [
    { name: "up", path: "notes/{id}/parent", rel: "hea-parent" },
  ]);

  const collection = await render(documentOf({
    actions,
    items: [
      plainItem({ type: "example.Note", id: "1" }),
      plainItem({ type: "example.Note", id: "2" }),
    ],
  }));

  assert.equal(collection.links?.[0]?.href, `${BASE}/notes//parent`);
});

Deno.test("renderCollectionJson adds queries from safe list cj actions", async () => {
  const actions = attach([
    {
      name: "search",
      type: "safe",
      target: ["list", "cj"],
      prompt: "Search",
      inputs: [
        { name: "text", prompt: "Text", pattern: "^.+$", required: true },
        { name: "sort", value: "asc", readOnly: true },
        {
          name: "pinned",
          type: "select",
          value: true,
          suggest: [{ value: "true", text: "Yes" }, { value: "false", text: "No" }],
        },
      ],
    },
    { name: "unsafe-search", type: "unsafe", target: ["list", "cj"], inputs: [{ name: "x" }] },
    { name: "no-inputs", type: "safe", target: ["list", "cj"] },
    { name: "no-cj", type: "safe", target: ["list"], inputs: [{ name: "x" }] },
  ], [
    { name: "search", path: "notes/search", rel: "hea-search" },
    { name: "unsafe-search", path: "x" },
    { name: "no-inputs", path: "y" },
    { name: "no-cj", path: "z" },
  ]);

  const collection = await render(documentOf({ actions }));

  assert.deepEqual(collection.queries, [{
    rel: "hea-search",
    href: `${BASE}/notes/search`,
    prompt: "Search",
    data: [
      {
        name: "text",
        value: null,
        prompt: "Text",
        required: true,
        readOnly: false,
        pattern: "^.+$",
      },
      {
        name: "sort",
        value: "asc",
        prompt: "sort",
        required: false,
        readOnly: true,
        pattern: null,
      },
      {
        name: "pinned",
        value: "true",
        prompt: "pinned",
        required: false,
        readOnly: false,
        pattern: null,
        type: "select",
        options: [{ value: "true", text: "Yes" }, { value: "false", text: "No" }],
      },
    ],
  }]);
  assert.equal(collection.links, undefined);
});

Deno.test("renderCollectionJson uses the first template action", async () => {
  const actions = attach([
    PROPERTIES,
    {
      name: "second",
      type: "unsafe",
      target: ["item", "cj-template"],
      prompt: "Second",
      inputs: [{ name: "text" }],
    },
  ], [{ name: PROPERTIES.name, path: "notes/{id}" }, { name: "second", path: "notes/{id}" }]);

  const collection = await render(documentOf({ actions, items: [itemFor(note())] }));
  const template = templateOf(collection);

  assert.equal(template.prompt, "Properties");
  assert.equal(template.rel, "hea-properties");
  assert.deepEqual(template.data.map((row) => row.name), [
    "id",
    "display_name",
    "text",
    "owner",
    "user",
    "permissions",
  ]);
});

Deno.test("renderCollectionJson prompts templates with the action name", async () => {
  const actions = attach([
    { name: "example-note-edit", type: "unsafe", target: ["cj-template"], inputs: [] },
  ], [{ name: "example-note-edit" }]);

  const template = templateOf(await render(documentOf({ actions })));

  assert.deepEqual(template, { prompt: "example-note-edit", rel: "", data: [] });
});

Deno.test("renderCollectionJson fills template rows from the item", async () => {
  const actions = attach([PROPERTIES], [{ name: PROPERTIES.name }]);
  const object = note({ text: "hi" });

  const template = templateOf(await render(documentOf({ actions, items: [itemFor(object)] })));

  assert.deepEqual(rowOf(template, "id"), {
    name: "id",
    value: "1",
    prompt: "Id",
    required: false,
    readOnly: true,
    pattern: null,
    display: false,
  });
  assert.deepEqual(rowOf(template, "display_name"), {
    name: "display_name",
    value: "First",
    prompt: "Name",
    required: true,
    readOnly: false,
    pattern: null,
  });
  assert.deepEqual(rowOf(template, "text"), {
    name: "text",
    value: "hi",
    prompt: "Text",
    required: false,
    readOnly: false,
    pattern: null,
    type: "textarea",
  });
});

Deno.test("renderCollectionJson prefers input readOnly on plain fields", async () => {
  const inputs: ActionInput[] = [
    { name: "text", readOnly: false },
    { name: "display_name", readOnly: true },
    { name: "name" },
    { name: "owner" },
    { name: "modified" },
    { name: "not_an_attribute" },
  ];
  const actions = attach([
    { name: "edit", type: "unsafe", target: ["item", "cj-template"], inputs },
  ], [{ name: "edit" }]);
  const viewer = new PermissionContext("bob");
  const object = note({ owner: "carol", user_shares: [userShare("bob", ["VIEWER"])] });

  const template = templateOf(
    await render(documentOf({ actions, caller: viewer, items: [itemFor(object, viewer)] })),
  );

  const cases: [string, boolean][] = [
    ["text", false],
    ["display_name", true],
    ["name", true],
    ["owner", true],
    ["modified", true],
    ["not_an_attribute", false],
  ];
  for (const [name, readOnly] of cases) {
    assert.equal(rowOf(template, name).readOnly, readOnly, name);
  }
});

Deno.test("renderCollectionJson derives plain readOnly from permissions", async () => {
  const inputs: ActionInput[] = [{ name: "text" }, { name: "owner" }, { name: "id" }];
  const actions = attach([
    { name: "edit", type: "unsafe", target: ["item", "cj-template"], inputs },
  ], [{ name: "edit" }]);
  const editor = new PermissionContext("bob");
  const object = note({ user_shares: [userShare("bob", ["VIEWER", "EDITOR"])] });

  const template = templateOf(
    await render(documentOf({ actions, caller: editor, items: [itemFor(object, editor)] })),
  );

  assert.equal(rowOf(template, "text").readOnly, false);
  assert.equal(rowOf(template, "owner").readOnly, true);
  assert.equal(rowOf(template, "id").readOnly, true);
});

Deno.test("renderCollectionJson makes list sections read-only by permission or input", async () => {
  const inputs: ActionInput[] = [
    { name: "user", section: "user_shares", readOnly: false },
    { name: "permissions", section: "user_shares" },
    { name: "label", section: "tags", readOnly: true },
    { name: "type", section: "tags" },
  ];
  const actions = attach([
    { name: "edit", type: "unsafe", target: ["item", "cj-template"], inputs },
  ], [{ name: "edit" }]);
  const editor = new PermissionContext("bob");
  const object = note({
    user_shares: [userShare("bob", ["VIEWER", "EDITOR"])],
    tags: [{ type: "example.Tag", label: "a" }],
  });

  const template = templateOf(
    await render(documentOf({ actions, caller: editor, items: [itemFor(object, editor)] })),
  );

  const cases: [string, string, number, boolean][] = [
    ["user_shares", "user", -1, true],
    ["user_shares", "user", 0, true],
    ["user_shares", "permissions", 0, true],
    ["tags", "label", -1, true],
    ["tags", "label", 0, true],
    ["tags", "type", 0, false],
  ];
  for (const [section, name, index, readOnly] of cases) {
    assert.equal(
      rowOf(template, name, section, index).readOnly,
      readOnly,
      `${section}[${index}].${name}`,
    );
  }
});

Deno.test("renderCollectionJson prefers input readOnly on nested objects", async () => {
  const inputs: ActionInput[] = [
    { name: "label", section: "main_tag", readOnly: false },
    { name: "type", section: "main_tag" },
  ];
  const actions = attach([
    { name: "edit", type: "unsafe", target: ["item", "cj-template"], inputs },
  ], [{ name: "edit" }]);
  const viewer = new PermissionContext("bob");
  const object = note({
    user_shares: [userShare("bob", ["VIEWER"])],
    main_tag: { type: "example.Tag", label: "work" },
  });

  const template = templateOf(
    await render(documentOf({ actions, caller: viewer, items: [itemFor(object, viewer)] })),
  );

  assert.deepEqual(template.data, [
    {
      section: "main_tag",
      name: "label",
      value: "work",
      prompt: "label",
      required: false,
      readOnly: false,
      pattern: null,
    },
    {
      section: "main_tag",
      name: "type",
      value: "example.Tag",
      prompt: "type",
      required: false,
      readOnly: true,
      pattern: null,
    },
  ]);
});

Deno.test("renderCollectionJson orders list section rows by index", async () => {
  const actions = attach([PROPERTIES], [{ name: PROPERTIES.name }]);
  const object = note({
    user_shares: [userShare("bob", ["VIEWER"]), userShare("carol", ["VIEWER", "EDITOR"])],
  });

  const template = templateOf(await render(documentOf({ actions, items: [itemFor(object)] })));
  const shareRows = template.data.filter((row) => row.section === "user_shares");

  assert.deepEqual(
    shareRows.map((row) => [row.index, row.name, row.value]),
    [
      [-1, "user", "system|none"],
      [-1, "permissions", null],
      [0, "user", "bob"],
      [0, "permissions", ["VIEWER"]],
      [1, "user", "carol"],
      [1, "permissions", ["VIEWER", "EDITOR"]],
    ],
  );
  assert.deepEqual(template.data.slice(0, 4).map((row) => row.section), [
    undefined,
    undefined,
    undefined,
    undefined,
  ]);
});

Deno.test("renderCollectionJson renders full list section rows", async () => {
  const actions = attach([PROPERTIES], [{ name: PROPERTIES.name }]);
  const object = note({ user_shares: [userShare("bob", ["VIEWER"])] });

  const template = templateOf(await render(documentOf({ actions, items: [itemFor(object)] })));

  assert.deepEqual(rowOf(template, "user", "user_shares", -1), {
    section: "user_shares",
    index: -1,
    sectionPrompt: "User permissions",
    name: "user",
    value: "system|none",
    prompt: "User",
    required: false,
    readOnly: false,
    pattern: null,
    type: "select",
  });
  assert.deepEqual(rowOf(template, "permissions", "user_shares", 0), {
    section: "user_shares",
    index: 0,
    name: "permissions",
    value: ["VIEWER"],
    prompt: "Permissions",
    required: false,
    readOnly: false,
    pattern: null,
    type: "select",
    cardinality: "multiple",
    options: [{ value: "VIEWER", text: "Viewer" }, { value: "EDITOR", text: "Editor" }],
  });
});

Deno.test("renderCollectionJson renders a default row for empty lists", async () => {
  const actions = attach([PROPERTIES], [{ name: PROPERTIES.name }]);

  const template = templateOf(await render(documentOf({ actions, items: [itemFor(note())] })));
  const shareRows = template.data.filter((row) => row.section === "user_shares");

  assert.deepEqual(shareRows.map((row) => [row.index, row.name, row.value]), [
    [-1, "user", "system|none"],
    [-1, "permissions", null],
  ]);
});

Deno.test("renderCollectionJson uses input defaults for add templates", async () => {
  const actions = attach([{
    name: "duplicate",
    type: "unsafe",
    target: ["item", "cj-template", "add"],
    prompt: "Duplicate",
    inputs: [
      { name: "text", value: "default text" },
      { name: "display_name" },
      { name: "user", section: "user_shares", value: "system|none" },
    ],
  }], [{ name: "duplicate" }]);
  const object = note({ text: "stored", user_shares: [userShare("bob", ["VIEWER"])] });

  const template = templateOf(await render(documentOf({ actions, items: [itemFor(object)] })));

  assert.equal(rowOf(template, "text").value, "default text");
  assert.equal(rowOf(template, "display_name").value, null);
  assert.deepEqual(
    template.data.filter((row) => row.section === "user_shares").map((row) => [
      row.index,
      row.value,
    ]),
    [[-1, "system|none"]],
  );
});

Deno.test("renderCollectionJson gives select inputs options from suggest", async () => {
  const suggest = [{ value: "true", text: "Yes" }, { value: "false", text: "No" }];
  const actions = attach([{
    name: "edit",
    type: "unsafe",
    target: ["item", "cj-template"],
    inputs: [{ name: "pinned", type: "select", suggest }],
  }], [{ name: "edit" }]);

  const template = templateOf(
    await render(documentOf({ actions, items: [itemFor(note({ pinned: true }))] })),
  );

  assert.deepEqual(rowOf(template, "pinned").options, suggest);
  assert.equal(rowOf(template, "pinned").value, "true");
});

Deno.test("renderCollectionJson gives select inputs options from optionsFromUrl", async () => {
  const actions = attach([PROPERTIES], [{ name: PROPERTIES.name, root: "http://localhost:9090" }]);

  const template = templateOf(await render(documentOf({ actions, items: [itemFor(note())] })));

  assert.deepEqual(rowOf(template, "owner").options, {
    href: "http://localhost:9090/people/?owner=alice",
    text: "display_name",
    value: "id",
  });
});

Deno.test("renderCollectionJson expands an unattached optionsFromUrl path", async () => {
  const action: RunTimeAction = {
    name: "edit",
    type: "unsafe",
    target: ["cj-template"],
    href: `${BASE}/notes/`,
    rel: [],
    inputs: [{
      name: "owner",
      type: "select",
      optionsFromUrl: { path: "people/{owner}", value: "id", text: "display_name" },
    }],
  };

  const template = templateOf(
    await render(documentOf({ actions: [action], items: [itemFor(note())] })),
  );

  assert.deepEqual(rowOf(template, "owner").options, {
    href: "people/alice",
    text: "display_name",
    value: "id",
  });
});

Deno.test("renderCollectionJson turns select values into strings", async () => {
  const cases: [string, unknown, unknown][] = [
    ["true", true, "true"],
    ["false", false, "false"],
    ["number", 3, "3"],
    ["string", "x", "x"],
    ["null", null, null],
    ["list", [true, 1, "a"], ["true", "1", "a"]],
  ];

  for (const [name, value, expected] of cases) {
    const actions = attach([{
      name: "edit",
      type: "unsafe",
      target: ["cj-template", "add"],
      inputs: [{ name: "choice", type: "select", value }],
    }], [{ name: "edit" }]);
    const template = templateOf(await render(documentOf({ actions })));
    assert.deepEqual(rowOf(template, "choice").value, expected, name);
  }
});

Deno.test("renderCollectionJson keeps values of other inputs as they are", async () => {
  const actions = attach([{
    name: "edit",
    type: "unsafe",
    target: ["item", "cj-template"],
    inputs: [{ name: "pinned" }, { name: "tags" }],
  }], [{ name: "edit" }]);
  const object = note({ pinned: true });

  const template = templateOf(await render(documentOf({ actions, items: [itemFor(object)] })));

  assert.equal(rowOf(template, "pinned").value, true);
  assert.deepEqual(rowOf(template, "tags").value, []);
});

Deno.test("renderCollectionJson copies HEA's input properties to template rows", async () => {
  const actions = attach([{
    name: "edit",
    type: "unsafe",
    target: ["cj-template"],
    inputs: [{
      name: "target",
      type: "object-url",
      cardinality: "single",
      display: false,
      objectUrlTargetTypesInclude: ["example.Note"],
      pattern: "^http",
      required: true,
    }],
  }], [{ name: "edit" }]);

  const template = templateOf(await render(documentOf({ actions })));

  assert.deepEqual(rowOf(template, "target"), {
    name: "target",
    value: null,
    prompt: "target",
    required: true,
    readOnly: false,
    pattern: "^http",
    type: "object-url",
    cardinality: "single",
    display: false,
    objectUrlTargetTypesInclude: ["example.Note"],
  });
});

Deno.test("renderCollectionJson skips a template whose itemIf fails", async () => {
  const actions = attach([
    { ...PROPERTIES, name: "editable" },
    { name: "read-only", type: "safe", target: ["item", "cj-template"], prompt: "View" },
  ], [
    { name: "editable", itemIf: ({ permissions }) => permissions.includes("EDITOR") },
    { name: "read-only" },
  ]);
  const viewer = new PermissionContext("bob");
  const shared = note({ user_shares: [userShare("bob", ["VIEWER"])] });

  const forViewer = await render(documentOf({
    actions,
    caller: viewer,
    items: [itemFor(shared, viewer)],
  }));
  const forOwner = await render(documentOf({ actions, items: [itemFor(shared)] }));

  assert.equal(templateOf(forViewer).prompt, "View");
  assert.equal(templateOf(forOwner).prompt, "Properties");
});

Deno.test("renderCollectionJson omits the template when no itemIf holds", async () => {
  const actions = attach([PROPERTIES], [{ name: PROPERTIES.name, itemIf: () => false }]);

  const collection = await render(documentOf({ actions, items: [itemFor(note())] }));

  assert.equal(collection.template, undefined);
});

Deno.test("renderCollectionJson ignores itemIf of a template for many items", async () => {
  let calls = 0;
  const actions = attach([PROPERTIES], [{
    name: PROPERTIES.name,
    itemIf: () => {
      calls++;
      return false;
    },
  }]);

  const collection = await render(documentOf({
    actions,
    items: [itemFor(note({ id: "1" })), itemFor(note({ id: "2" }))],
  }));

  assert.equal(templateOf(collection).prompt, "Properties");
  assert.equal(calls, 0);
});

Deno.test("renderCollectionJson omits the template for items of mixed types", async () => {
  const actions = attach([PROPERTIES], [{ name: PROPERTIES.name }]);
  const memo = completeObject({ ...newObject(Memo), id: "2", owner: "alice" }, Memo);

  const collection = await render(documentOf({
    actions,
    items: [itemFor(note()), itemFor(memo)],
  }));

  assert.equal(collection.template, undefined);
  assert.equal(collection.items?.length, 2);
});

Deno.test("renderCollectionJson multi-item template uses new-object permissions", async () => {
  const inputs: ActionInput[] = [
    { name: "id" },
    { name: "text", value: "default" },
    { name: "owner" },
    { name: "user", section: "user_shares" },
  ];
  const actions = attach([
    { name: "edit", type: "unsafe", target: ["cj-template"], inputs },
  ], [{ name: "edit" }]);
  const viewer = new PermissionContext("bob");
  const items = ["1", "2"].map((id) =>
    itemFor(note({ id, text: `stored ${id}`, user_shares: [userShare("bob", ["VIEWER"])] }), viewer)
  );
  assert.deepEqual(items[0]?.attributePermissions.text, ["VIEWER"]);

  const template = templateOf(await render(documentOf({ actions, caller: viewer, items })));

  assert.equal(rowOf(template, "id").readOnly, true);
  assert.equal(rowOf(template, "text").readOnly, false);
  assert.equal(rowOf(template, "text").value, "default");
  assert.equal(rowOf(template, "owner").readOnly, false);
  assert.equal(rowOf(template, "owner").value, null);
  assert.deepEqual(rowOf(template, "user", "user_shares").index, -1);
  assert.equal(rowOf(template, "user", "user_shares").readOnly, false);
});

Deno.test("renderCollectionJson renders a template without items", async () => {
  const actions = attach([{
    name: "new",
    type: "unsafe",
    target: ["cj-template"],
    inputs: [{ name: "text", value: "draft" }, { name: "volume_id" }],
  }], [{ name: "new" }]);

  const collection = await render(documentOf({
    actions,
    parameters: { volume_id: "v1" },
  }));

  assert.equal(collection.items, undefined);
  assert.equal(rowOf(templateOf(collection), "text").value, "draft");
  assert.equal(rowOf(templateOf(collection), "text").readOnly, false);
  assert.equal(rowOf(templateOf(collection), "volume_id").value, "v1");
});

Deno.test("renderCollectionJson writes items as they arrive", async () => {
  let produced = 0;
  async function* source(): AsyncGenerator<DocumentItem> {
    for (let index = 0; index < 3; index++) {
      produced++;
      yield plainItem({ type: "example.Note", id: String(index) });
    }
  }

  const chunks = renderCollectionJson(documentOf({ items: source() }));
  await chunks.next();
  const firstItem = await chunks.next();

  assert.equal(produced, 1);
  assert.match(String(firstItem.value), /^,"items":\[\{"data"/);
  await chunks.return(undefined);
});

Deno.test("renderCollectionJson streams many items as valid JSON", async () => {
  const count = 2500;
  async function* source(): AsyncGenerator<DocumentItem> {
    for (let index = 0; index < count; index++) {
      await Promise.resolve();
      yield plainItem({ type: "example.Note", id: String(index), text: `"quoted" ${index}` });
    }
  }
  const actions = attach([{ name: "self", type: "safe", target: ["item", "read", "cj"] }], [
    { name: "self", path: "notes/{id}", rel: "self" },
  ]);

  const chunks = await Array.fromAsync(
    renderCollectionJson(documentOf({ href: `${BASE}/notes/`, actions, items: source() })),
  );
  const [document] = JSON.parse(chunks.join(""));
  const collection: Collection = document.collection;

  assert.ok(chunks.length > count, `${chunks.length} chunks`);
  assert.equal(collection.items?.length, count);
  assert.equal(collection.permissions.length, count);
  assert.equal(collection.items?.[count - 1]?.links[0]?.href, `${BASE}/notes/${count - 1}`);
  assert.equal(collection.items?.[7]?.data?.[2]?.value, '"quoted" 7');
});

Deno.test("renderCollectionJson escapes the document href", async () => {
  const href = `${BASE}/notes/?q="x"\\y`;

  const collection = await render(documentOf({ href }));

  assert.equal(collection.href, href);
});

Deno.test("renderCollectionJson renders a registry component", async () => {
  const actions = attach([
    {
      name: "heaserver-registry-component-get-properties",
      type: "unsafe",
      target: ["item", "cj-template"],
      prompt: "Properties",
      inputs: [
        { name: "id", prompt: "Id", readOnly: true },
        { name: "display_name", prompt: "Name", required: true },
        { name: "base_url", prompt: "Base URL", type: "url", readOnly: true },
        {
          name: "resource_type_name",
          prompt: "Resource type",
          required: true,
          section: "resources",
          sectionPrompt: "Resources",
        },
        { name: "base_path", prompt: "Base path", section: "resources" },
        {
          name: "manages_creators",
          prompt: "Manages creators",
          type: "select",
          suggest: [{ value: "false", text: "No" }, { value: "true", text: "Yes" }],
          value: "false",
          section: "resources",
        },
      ],
    },
    {
      name: "heaserver-registry-component-get-self",
      type: "safe",
      action: "read",
      target: ["item", "read", "cj"],
      prompt: "View",
    },
    {
      name: "heaserver-registry-component-get-self-href",
      type: "safe",
      target: ["item", "href", "cj"],
    },
    {
      name: "heaserver-registry-component-get-search",
      type: "safe",
      target: ["app", "cj"],
      prompt: "Search",
    },
  ], [
    { name: "heaserver-registry-component-get-properties", path: "components/{id}" },
    { name: "heaserver-registry-component-get-self", path: "components/{id}", rel: "self" },
    {
      name: "heaserver-registry-component-get-self-href",
      path: "components/{id}",
      rel: "self hea-self-container",
    },
    {
      name: "heaserver-registry-component-get-search",
      path: "components/search",
      rel: "hea-search",
    },
  ]);
  const component = completeObject({
    ...newObject(ComponentType),
    id: "666f6f2d6261722d71757578",
    name: "reality",
    display_name: "Reality",
    owner: "system|none",
    base_url: "http://localhost:8081",
    created: "2024-01-31T12:00:00.000Z",
    modified: "2024-02-01T08:30:00.000Z",
    resources: [
      completeObject({
        type: ResourceType.name,
        resource_type_name: "heaobject.folder.Folder",
        base_path: "volumes",
        manages_creators: true,
      }, ResourceType),
      completeObject({
        type: ResourceType.name,
        resource_type_name: "heaobject.folder.Item",
        base_path: "items",
      }, ResourceType),
    ],
  }, ComponentType);
  const admin = new PermissionContext("erin", ["/*super-admin"]);

  const collection = await render(documentOf({
    href: `${BASE}/components/666f6f2d6261722d71757578`,
    actions,
    caller: admin,
    parameters: { id: "666f6f2d6261722d71757578" },
    items: [itemFor(component, admin)],
  }));

  await assertGolden("collection_json_component.json", collection);
});
