import assert from "node:assert/strict";
import { attribute } from "./attribute.ts";
import { InvalidObjectError } from "./invalid_object_error.ts";
import {
  defineDesktopObjectType,
  defineObjectType,
  type HeaObject,
  type ObjectType,
  type Share,
  ShareType,
} from "./object_type.ts";
import { OWNER_PERMISSIONS } from "./permission.ts";
import { ComponentType, PropertyType, ResourceType } from "./registry.ts";
import { completeObject, newObject, parseObject } from "./serialization.ts";
import { TypeRegistry } from "./type_registry.ts";

const Tag = defineObjectType({
  name: "example.Tag",
  displayName: "Tag",
  attributes: { label: attribute.string(), weight: attribute.integer() },
});

const Note = defineDesktopObjectType({
  name: "example.Note",
  displayName: "Note",
  mimeType: "application/x.note",
  superAdminDefaultPermissions: OWNER_PERMISSIONS,
  attributes: {
    text: attribute.string(),
    pinned: attribute.boolean(),
    rating: attribute.number(),
    count: attribute.integer(),
    due: attribute.datetime(),
    keywords: attribute.strings(),
    grants: attribute.permissions(),
    color: attribute.string({ values: ["red", "blue"] }),
    main_tag: attribute.object("example.Tag"),
    tags: attribute.objects("example.Tag"),
    extra: attribute.json(),
    secret_code: attribute.string({ readOnly: true, default: "generated" }),
    password: attribute.string({ secret: true }),
    pin: attribute.integer({ secret: true }),
  },
});

const Memo = defineDesktopObjectType({
  name: "example.Memo",
  displayName: "Memo",
  supertype: "example.Note",
  attributes: { text: attribute.string(), audience: attribute.string() },
});

const registry = new TypeRegistry([Tag, Note, Memo, ComponentType, ResourceType, PropertyType]);

function parseNote(input: unknown, options: Partial<Parameters<typeof parseObject>[2]> = {}) {
  return parseObject(input, Note, { registry, ...options });
}

/** Asserts that `run` throws an InvalidObjectError whose field is `field`. */
function assertInvalidField(run: () => unknown, field: string, message?: string): void {
  assert.throws(
    run,
    (error: unknown) => {
      assert.ok(error instanceof InvalidObjectError, `${message ?? field}: ${error}`);
      assert.equal(error.field, field, message);
      return true;
    },
    message,
  );
}

/** Completes an object, typed as a plain HeaObject so tests can read any attribute. */
function complete(object: HeaObject, type: ObjectType = Note): HeaObject {
  return completeObject(object, type);
}

function userShare(user: string): Share {
  return {
    type: "heaobject.root.ShareImpl",
    user,
    group: "system|none",
    basis: "USER",
    permissions: ["VIEWER"],
  };
}

Deno.test("InvalidObjectError names the field in its message", () => {
  const error = new InvalidObjectError("resources[0].type", "is missing");

  assert.equal(error.name, "InvalidObjectError");
  assert.equal(error.field, "resources[0].type");
  assert.equal(error.message, "Invalid field resources[0].type: is missing");
  assert.ok(error instanceof Error);
});

Deno.test("parseObject rejects a missing type", () => {
  assertInvalidField(() => parseNote({ text: "hi" }), "type");
  assertInvalidField(() => parseNote({ type: null, text: "hi" }), "type");
});

Deno.test("parseObject names the expected type when type is missing", () => {
  assert.throws(() => parseNote({}), /example\.Note/);
});

Deno.test("parseObject rejects a non-string type", () => {
  for (const type of [5, true, ["example.Note"], { name: "example.Note" }]) {
    assertInvalidField(() => parseNote({ type }), "type", JSON.stringify(type));
  }
});

Deno.test("parseObject rejects an unknown type", () => {
  assertInvalidField(() => parseNote({ type: "example.Missing" }), "type");
  assertInvalidField(() => parseNote({ type: "" }), "type");
});

Deno.test("parseObject rejects a type of another collection", () => {
  assertInvalidField(() => parseNote({ type: "heaobject.registry.Property" }), "type");
  assertInvalidField(() => parseNote({ type: "heaobject.root.ShareImpl" }), "type");
});

Deno.test("parseObject rejects a supertype where a subtype is expected", () => {
  assertInvalidField(
    () => parseObject({ type: "example.Note" }, Memo, { registry }),
    "type",
  );
});

Deno.test("parseObject accepts a subtype", () => {
  const memo = parseNote({ type: "example.Memo", text: "hi", audience: "team" });

  assert.equal(memo.type, "example.Memo");
  assert.equal(memo.type_display_name, "Memo");
  assert.equal(memo.audience, "team");
  assert.equal(memo.text, "hi");
});

Deno.test("parseObject rejects input that is not an object", () => {
  for (const input of [null, "text", 5, [], [{ type: "example.Note" }]]) {
    assertInvalidField(() => parseNote(input), "(body)", JSON.stringify(input));
  }
});

Deno.test("parseObject names nested members missing a type", () => {
  assertInvalidField(
    () => parseNote({ type: "example.Note", tags: [{ type: "example.Tag" }, { label: "b" }] }),
    "tags[1].type",
  );
  assertInvalidField(
    () => parseNote({ type: "example.Note", main_tag: { label: "a" } }),
    "main_tag.type",
  );
  assertInvalidField(
    () =>
      parseObject(
        { type: "heaobject.registry.Component", resources: [{ base_path: "folders" }] },
        ComponentType,
        { registry },
      ),
    "resources[0].type",
  );
});

Deno.test("parseObject names nested members of the wrong type", () => {
  assertInvalidField(
    () => parseNote({ type: "example.Note", tags: [{ type: "example.Note" }] }),
    "tags[0].type",
  );
});

Deno.test("parseObject names invalid values in nested members", () => {
  assertInvalidField(
    () =>
      parseNote({
        type: "example.Note",
        tags: [{ type: "example.Tag", weight: 1 }, { type: "example.Tag", weight: "heavy" }],
      }),
    "tags[1].weight",
  );
  assertInvalidField(
    () =>
      parseNote({
        type: "example.Note",
        user_shares: [{ ...userShare("bob"), permissions: ["VIEWER", "ADMIN"] }],
      }),
    "user_shares[0].permissions[1]",
  );
  assertInvalidField(
    () =>
      parseNote({ type: "example.Note", user_shares: [{ ...userShare("bob"), basis: "ROLE" }] }),
    "user_shares[0].basis",
  );
});

Deno.test("parseObject rejects a nested member that is not an object", () => {
  assertInvalidField(() => parseNote({ type: "example.Note", main_tag: "a" }), "main_tag");
  assertInvalidField(() => parseNote({ type: "example.Note", tags: ["a"] }), "tags[0]");
});

Deno.test("parseObject parses nested members", () => {
  const parsed = parseNote({
    type: "example.Note",
    main_tag: { type: "example.Tag", label: "main", weight: "3" },
    tags: [{ type: "example.Tag", label: "a" }, { type: "example.Tag", label: "b", ignored: 1 }],
  });

  assert.deepEqual(parsed.main_tag, {
    type: "example.Tag",
    label: "main",
    weight: 3,
    type_display_name: "Tag",
  });
  assert.deepEqual(parsed.tags, [
    { type: "example.Tag", label: "a", weight: null, type_display_name: "Tag" },
    { type: "example.Tag", label: "b", weight: null, type_display_name: "Tag" },
  ]);
});

Deno.test("parseObject ignores read-only attributes in input", () => {
  const parsed = parseNote({
    type: "example.Note",
    id: "abc",
    instance_id: "example.Note^abc",
    created: "2024-01-31T12:00:00Z",
    modified: "2024-01-31T12:00:00Z",
    shares: [userShare("mallory")],
    type_display_name: "Fake",
    dynamic_permission_supported: true,
    mime_type: "text/plain",
    secret_code: "chosen",
  });

  assert.equal(parsed.id, null);
  assert.equal(parsed.instance_id, null);
  assert.equal(parsed.created, null);
  assert.equal(parsed.modified, null);
  assert.deepEqual(parsed.shares, []);
  assert.equal(parsed.type_display_name, "Note");
  assert.equal(parsed.dynamic_permission_supported, false);
  assert.equal(parsed.mime_type, "application/x.note");
  assert.equal(parsed.secret_code, "generated");
});

Deno.test("parseObject ignores invalid values of read-only attributes", () => {
  const parsed = parseNote({ type: "example.Note", created: "not a date", id: 5, shares: "x" });

  assert.equal(parsed.created, null);
  assert.equal(parsed.id, null);
  assert.deepEqual(parsed.shares, []);
});

Deno.test("parseObject ignores unknown attributes", () => {
  const parsed = parseNote({ type: "example.Note", text: "hi", bogus: 1, Text: "upper" });

  assert.equal(Object.hasOwn(parsed, "bogus"), false);
  assert.equal(Object.hasOwn(parsed, "Text"), false);
  assert.equal(parsed.text, "hi");
});

Deno.test("parseObject fills defaults for omitted attributes", () => {
  const parsed = parseNote({ type: "example.Note" });

  assert.equal(parsed.text, null);
  assert.equal(parsed.pinned, false);
  assert.deepEqual(parsed.keywords, []);
  assert.deepEqual(parsed.tags, []);
  assert.equal(parsed.owner, "system|none");
  assert.deepEqual(parsed.user_shares, []);
  assert.deepEqual(parsed.super_admin_default_permissions, [...OWNER_PERMISSIONS]);
});

Deno.test("parseObject rejects values of the wrong kind", () => {
  const cases: [string, unknown, string][] = [
    ["text", 5, "text"],
    ["text", true, "text"],
    ["text", ["a"], "text"],
    ["text", { a: 1 }, "text"],
    ["name", 7, "name"],
    ["owner", null, "owner"],
    ["pinned", "yes", "pinned"],
    ["pinned", "True", "pinned"],
    ["pinned", 1, "pinned"],
    ["rating", "abc", "rating"],
    ["rating", "  ", "rating"],
    ["rating", true, "rating"],
    ["count", 1.5, "count"],
    ["count", "1.5", "count"],
    ["count", "ten", "count"],
    ["due", "not a date", "due"],
    ["due", 1706702400000, "due"],
    ["due", true, "due"],
    ["keywords", ["a", 1], "keywords[1]"],
    ["keywords", 3, "keywords[0]"],
    ["grants", ["VIEWER", "ADMIN"], "grants[1]"],
    ["grants", ["viewer"], "grants[0]"],
    ["grants", "OWNER", "grants[0]"],
    ["color", "green", "color"],
    ["derived_from", [null], "derived_from[0]"],
  ];

  for (const [name, value, field] of cases) {
    assertInvalidField(
      () => parseNote({ type: "example.Note", [name]: value }),
      field,
      `${name}=${JSON.stringify(value)}`,
    );
  }
});

Deno.test("parseObject keeps secret values out of errors", () => {
  const cases: [string, unknown][] = [
    ["password", 987654321],
    ["password", true],
    ["pin", "hunter2"],
    ["pin", 1234.5],
  ];

  for (const [name, value] of cases) {
    assert.throws(
      () => parseNote({ type: "example.Note", [name]: value }),
      (error: unknown) => {
        assert.ok(error instanceof InvalidObjectError);
        assert.equal(error.field, name);
        assert.equal(error.message.includes(String(value)), false, error.message);
        return true;
      },
      `${name}=${JSON.stringify(value)}`,
    );
  }
});

Deno.test("parseObject shows values of other attributes in errors", () => {
  assert.throws(() => parseNote({ type: "example.Note", count: 1234.5 }), /1234\.5/);
  assert.throws(() => parseNote({ type: "example.Note", text: 987654321 }), /987654321/);
});

Deno.test("parseObject converts form strings to booleans and numbers", () => {
  const cases: [string, unknown, unknown][] = [
    ["pinned", "true", true],
    ["pinned", "false", false],
    ["pinned", true, true],
    ["pinned", false, false],
    ["count", "42", 42],
    ["count", 42, 42],
    ["count", "-3", -3],
    ["rating", "1.25", 1.25],
    ["rating", "1e3", 1000],
    ["rating", 0, 0],
  ];

  for (const [name, value, expected] of cases) {
    const parsed = parseNote({ type: "example.Note", [name]: value });
    assert.equal(parsed[name], expected, `${name}=${JSON.stringify(value)}`);
  }
});

Deno.test("parseObject turns empty form values into null", () => {
  const parsed = parseNote({ type: "example.Note", count: "", pinned: "", due: "", text: "" });

  assert.equal(parsed.count, null);
  assert.equal(parsed.pinned, null);
  assert.equal(parsed.due, null);
  assert.equal(parsed.text, "");
});

Deno.test("parseObject normalizes datetimes to UTC ISO 8601", () => {
  const cases: [string, string][] = [
    ["2024-01-31T12:00:00Z", "2024-01-31T12:00:00.000Z"],
    ["2024-01-31T12:00:00+02:00", "2024-01-31T10:00:00.000Z"],
    ["2024-01-31T12:00:00.5-05:30", "2024-01-31T17:30:00.500Z"],
    ["2024-01-31", "2024-01-31T00:00:00.000Z"],
  ];

  for (const [input, expected] of cases) {
    const parsed = parseNote({ type: "example.Note", due: input });
    assert.equal(parsed.due, expected, input);
  }
});

Deno.test("parseObject wraps a single value where a list is expected", () => {
  const parsed = parseNote({
    type: "example.Note",
    keywords: "solo",
    grants: "EDITOR",
    tags: { type: "example.Tag", label: "only" },
    derived_from: "abc",
  });

  assert.deepEqual(parsed.keywords, ["solo"]);
  assert.deepEqual(parsed.grants, ["EDITOR"]);
  assert.deepEqual(parsed.tags, [
    { type: "example.Tag", label: "only", weight: null, type_display_name: "Tag" },
  ]);
  assert.deepEqual(parsed.derived_from, ["abc"]);
});

Deno.test("parseObject turns null lists into empty lists", () => {
  const parsed = parseNote({ type: "example.Note", keywords: null, grants: null, tags: null });

  assert.deepEqual(parsed.keywords, []);
  assert.deepEqual(parsed.grants, []);
  assert.deepEqual(parsed.tags, []);
});

Deno.test("parseObject sorts permission lists and drops duplicates", () => {
  const parsed = parseNote({ type: "example.Note", grants: ["DELETER", "VIEWER", "DELETER"] });

  assert.deepEqual(parsed.grants, ["VIEWER", "DELETER"]);
});

Deno.test("parseObject copies JSON attributes", () => {
  const extra = { nested: { list: [1, 2] } };

  const parsed = parseNote({ type: "example.Note", extra });
  extra.nested.list.push(3);

  assert.deepEqual(parsed.extra, { nested: { list: [1, 2] } });
});

Deno.test("parseObject uses type defaults for super-admin permissions", () => {
  const omitted = parseNote({ type: "example.Note" });
  const nulled = parseNote({ type: "example.Note", super_admin_default_permissions: null });
  const explicit = parseNote({ type: "example.Note", super_admin_default_permissions: ["VIEWER"] });
  const component = parseObject({ type: ComponentType.name }, ComponentType, { registry });

  assert.deepEqual(omitted.super_admin_default_permissions, [...OWNER_PERMISSIONS]);
  assert.deepEqual(nulled.super_admin_default_permissions, [...OWNER_PERMISSIONS]);
  assert.deepEqual(
    explicit.super_admin_default_permissions,
    [...OWNER_PERMISSIONS],
    "the attribute is read-only, so input cannot grant super admins more or less",
  );
  assert.deepEqual(component.super_admin_default_permissions, ["VIEWER", "EDITOR"]);
});

Deno.test("parseObject keeps stored read-only values of an existing object", () => {
  const existing = completeObject({
    ...newObject(Note),
    id: "abc",
    owner: "alice",
    created: "2024-01-01T00:00:00.000Z",
    modified: "2024-01-02T00:00:00.000Z",
    secret_code: "stored",
  }, Note);

  const parsed = parseNote({
    type: "example.Note",
    id: "other",
    created: "2030-01-01T00:00:00Z",
    modified: "2030-01-01T00:00:00Z",
    instance_id: "example.Note^other",
    secret_code: "chosen",
    text: "new",
  }, { existing });

  assert.equal(parsed.id, "abc");
  assert.equal(parsed.instance_id, "example.Note^abc");
  assert.equal(parsed.created, "2024-01-01T00:00:00.000Z");
  assert.equal(parsed.modified, "2024-01-02T00:00:00.000Z");
  assert.equal(parsed.secret_code, "stored");
  assert.equal(parsed.text, "new");
});

Deno.test("parseObject keeps stored values of protected attributes", () => {
  const existing = completeObject({
    ...newObject(Note),
    id: "abc",
    owner: "alice",
    text: "stored",
    user_shares: [userShare("bob")],
  }, Note);

  const parsed = parseNote({
    type: "example.Note",
    owner: "mallory",
    user_shares: [userShare("mallory")],
    text: "changed",
  }, { existing, protectedAttributes: new Set(["owner", "user_shares"]) });

  assert.equal(parsed.owner, "alice");
  assert.deepEqual(parsed.user_shares, [userShare("bob")]);
  assert.deepEqual(parsed.shares, [userShare("bob")]);
  assert.equal(parsed.text, "changed");
});

Deno.test("parseObject ignores invalid values of protected attributes", () => {
  const existing = completeObject({ ...newObject(Note), id: "abc", count: 2 }, Note);

  const parsed = parseNote(
    { type: "example.Note", count: "many" },
    { existing, protectedAttributes: new Set(["count"]) },
  );

  assert.equal(parsed.count, 2);
});

Deno.test("parseObject uses defaults for protected attributes of a new object", () => {
  const parsed = parseNote(
    { type: "example.Note", owner: "mallory", text: "t" },
    { protectedAttributes: new Set(["owner", "text"]) },
  );

  assert.equal(parsed.owner, "system|none");
  assert.equal(parsed.text, null);
});

Deno.test("parseObject protects top-level attributes only", () => {
  const parsed = parseNote(
    { type: "example.Note", tags: [{ type: "example.Tag", label: "a" }] },
    { protectedAttributes: new Set(["label"]) },
  );

  assert.equal((parsed.tags as HeaObject[])[0]?.label, "a");
});

Deno.test("parseObject keeps stored values of omitted attributes", () => {
  const existing = completeObject({
    ...newObject(Note),
    id: "abc",
    owner: "alice",
    text: "stored",
    keywords: ["k"],
    super_admin_default_permissions: ["VIEWER"],
  }, Note);

  const parsed = parseNote({ type: "example.Note", pinned: true }, { existing });

  assert.equal(parsed.text, "stored");
  assert.deepEqual(parsed.keywords, ["k"]);
  assert.equal(parsed.owner, "alice");
  assert.deepEqual(parsed.super_admin_default_permissions, ["VIEWER"]);
  assert.equal(parsed.pinned, true);
});

Deno.test("parseObject leaves the existing object unchanged", () => {
  const existing = completeObject({
    ...newObject(Note),
    id: "abc",
    user_shares: [userShare("bob")],
  }, Note);
  const snapshot = structuredClone(existing);

  const parsed = parseNote({ type: "example.Note", text: "new" }, {
    existing,
    protectedAttributes: new Set(["user_shares"]),
  });
  (parsed.user_shares as Share[]).push(userShare("mallory"));

  assert.deepEqual(existing, snapshot);
});

Deno.test("parseObject rejects prototype-polluting keys", () => {
  for (const key of ["__proto__", "constructor", "prototype"]) {
    const input = JSON.parse(`{"type": "example.Note", "${key}": {"polluted": true}}`);
    assertInvalidField(() => parseNote(input), key, key);
  }

  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});

Deno.test("parseObject rejects prototype-polluting keys in members", () => {
  const input = JSON.parse(
    '{"type": "example.Note", "tags": [{"type": "example.Tag", "__proto__": {"x": 1}}]}',
  );
  const nested = JSON.parse(
    '{"type": "example.Note", "main_tag": {"type": "example.Tag", "constructor": 1}}',
  );

  assertInvalidField(() => parseNote(input), "tags[0].__proto__");
  assertInvalidField(() => parseNote(nested), "main_tag.constructor");
});

Deno.test("parseObject throws TypeError for unregistered member types", () => {
  const bare = new TypeRegistry([Note]);

  assert.throws(
    () =>
      parseObject({ type: "example.Note", tags: [{ type: "example.Tag" }] }, Note, {
        registry: bare,
      }),
    (error: unknown) =>
      error instanceof TypeError && !(error instanceof InvalidObjectError) &&
      error.message.includes('"example.Tag"'),
  );
});

Deno.test("completeObject computes shares from user and group shares", () => {
  const groupShare: Share = {
    type: "heaobject.root.ShareImpl",
    user: "system|none",
    group: "/research",
    basis: "GROUP",
    permissions: ["VIEWER"],
  };

  const completed = complete({
    type: Note.name,
    user_shares: [userShare("bob")],
    group_shares: [groupShare],
    shares: [userShare("mallory")],
  }, Note);

  assert.deepEqual(completed.shares, [userShare("bob"), groupShare]);
});

Deno.test("completeObject computes instance_id from the id", () => {
  assert.equal(complete({ type: Note.name, id: "abc" }, Note).instance_id, "example.Note^abc");
  assert.equal(complete({ type: Note.name, id: null }, Note).instance_id, null);
  assert.equal(
    complete({ type: Note.name, instance_id: "stale" }, Note).instance_id,
    null,
  );
});

Deno.test("completeObject names untitled objects after the type", () => {
  assert.equal(complete({ type: Note.name }, Note).display_name, "Untitled Note");
  assert.equal(
    complete({ type: Note.name, display_name: null }, Note).display_name,
    "Untitled Note",
  );
  assert.equal(
    complete({ type: Note.name, display_name: "Shopping" }, Note).display_name,
    "Shopping",
  );
  assert.equal(
    complete({ type: ComponentType.name }, ComponentType).display_name,
    "Untitled Registry Component",
  );
});

Deno.test("completeObject sets type names and the MIME type", () => {
  const completed = complete({ type: "wrong", type_display_name: "Wrong" }, Note);

  assert.equal(completed.type, "example.Note");
  assert.equal(completed.type_display_name, "Note");
  assert.equal(completed.mime_type, "application/x.note");
});

Deno.test("completeObject fills missing attributes and keeps present ones", () => {
  const completed = complete({ type: Note.name, text: "kept", pinned: null }, Note);

  assert.equal(completed.text, "kept");
  assert.equal(completed.pinned, null);
  assert.deepEqual(completed.keywords, []);
  assert.equal(completed.owner, "system|none");
});

Deno.test("completeObject returns the same object", () => {
  const object = { type: Note.name };

  assert.equal(completeObject(object, Note), object);
});

Deno.test("completeObject leaves member objects without desktop attributes", () => {
  const share = complete({ type: ShareType.name, user: "bob" }, ShareType);

  assert.equal(Object.hasOwn(share, "shares"), false);
  assert.equal(Object.hasOwn(share, "display_name"), false);
  assert.equal(share.basis, "USER");
});

Deno.test("newObject sets every attribute to its default", () => {
  const created = newObject(Note);

  assert.deepEqual(Object.keys(created).sort(), Object.keys(Note.attributes).sort());
  assert.equal(created.id, null);
  assert.equal(created.display_name, "Untitled Note");
  assert.equal(created.secret_code, "generated");
  assert.deepEqual(created.super_admin_default_permissions, [...OWNER_PERMISSIONS]);
});

Deno.test("newObject returns independent lists", () => {
  const first = newObject(Note);
  const second = newObject(Note);

  (first.keywords as string[]).push("a");
  (first.super_admin_default_permissions as string[]).pop();

  assert.deepEqual(second.keywords, []);
  assert.deepEqual(second.super_admin_default_permissions, [...OWNER_PERMISSIONS]);
});

Deno.test("newObject of a member type has no desktop attributes", () => {
  const resource = newObject(ResourceType);

  assert.equal(resource.file_system_name, "DEFAULT_FILE_SYSTEM");
  assert.equal(Object.hasOwn(resource, "owner"), false);
  assert.equal(Object.hasOwn(resource, "super_admin_default_permissions"), false);
});

Deno.test({
  name: "parseObject reads datetimes without an offset as UTC",
  fn() {
    const original = Deno.env.get("TZ");
    Deno.env.set("TZ", "America/New_York");
    try {
      const parsed = parseNote({ type: "example.Note", due: "2024-01-31T12:00:00" });
      assert.equal(parsed.due, "2024-01-31T12:00:00.000Z");
    } finally {
      if (original === undefined) {
        Deno.env.delete("TZ");
      } else {
        Deno.env.set("TZ", original);
      }
    }
  },
});

Deno.test("newObject gives super admins nothing by default", () => {
  const Plain = defineDesktopObjectType({ name: "example.Plain", displayName: "Plain" });

  assert.deepEqual(newObject(Plain).super_admin_default_permissions, []);
});

Deno.test("parseObject accepts only ISO 8601 dates that exist", () => {
  const accepted: [string, string][] = [
    ["2024-01-31T12:00:00Z", "2024-01-31T12:00:00.000Z"],
    ["2024-01-31T12:00:00+02:00", "2024-01-31T10:00:00.000Z"],
    ["2024-01-31T12:00", "2024-01-31T12:00:00.000Z"],
    ["2024-02-29", "2024-02-29T00:00:00.000Z"],
  ];
  for (const [input, stored] of accepted) {
    assert.equal(parseNote({ type: "example.Note", due: input }).due, stored, input);
  }

  for (
    const input of [
      "2024-02-30T00:00:00Z",
      "2023-02-29",
      "1",
      "Tue March 5 2024",
      "2024-01-31T24:00:00Z",
      "+275760-09-13T00:00:00Z",
    ]
  ) {
    assert.throws(
      () => parseNote({ type: "example.Note", due: input }),
      (error: unknown) => error instanceof InvalidObjectError && error.field === "due",
      input,
    );
  }
});

Deno.test("parseObject rejects a blank owner", () => {
  for (const owner of ["", "   "]) {
    assert.throws(
      () => parseNote({ type: "example.Note", owner }),
      (error: unknown) => error instanceof InvalidObjectError && error.field === "owner",
      JSON.stringify(owner),
    );
  }
});

Deno.test("parseObject accepts only web URLs in URL attributes", () => {
  const component = (url: string) =>
    parseObject({ type: ComponentType.name, external_base_url: url }, ComponentType, { registry });

  assert.equal(
    component("https://hea.example.org/api").external_base_url,
    "https://hea.example.org/api",
  );
  for (const url of ["javascript:alert(1)//", "data:text/html,x", "not a url", "/relative"]) {
    assert.throws(
      () => component(url),
      (error: unknown) =>
        error instanceof InvalidObjectError && error.field === "external_base_url",
      url,
    );
  }
});

Deno.test("parseObject reads only decimal numbers from strings", () => {
  assert.equal(parseNote({ type: "example.Note", rating: "12.5" }).rating, 12.5);
  assert.equal(parseNote({ type: "example.Note", count: "-3" }).count, -3);
  for (const rating of ["0x10", " 12 ", "0b1", "1e", "Infinity", ""]) {
    if (rating === "") {
      assert.equal(parseNote({ type: "example.Note", rating }).rating, null);
      continue;
    }
    assert.throws(
      () => parseNote({ type: "example.Note", rating }),
      (error: unknown) => error instanceof InvalidObjectError && error.field === "rating",
      JSON.stringify(rating),
    );
  }
});
