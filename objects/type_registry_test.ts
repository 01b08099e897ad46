import assert from "node:assert/strict";
import { attribute } from "./attribute.ts";
import {
  defineDesktopObjectType,
  defineObjectType,
  INVITE_TYPE_NAME,
  InviteType,
  type ObjectType,
  SHARE_TYPE_NAME,
  ShareType,
} from "./object_type.ts";
import { ComponentType, PropertyType, ResourceType } from "./registry.ts";
import { TypeRegistry } from "./type_registry.ts";

function desktopType(name: string, supertype?: string): ObjectType {
  return defineDesktopObjectType({
    name,
    displayName: name.split(".").at(-1) ?? name,
    attributes: { text: attribute.string() },
    ...(supertype ? { supertype } : {}),
  });
}

const Folder = desktopType("example.Folder");
const SharedFolder = desktopType("example.SharedFolder", "example.Folder");
const TeamFolder = desktopType("example.TeamFolder", "example.SharedFolder");
const Note = desktopType("example.Note");

Deno.test("TypeRegistry starts with the share and invite types", () => {
  const registry = new TypeRegistry();

  assert.equal(registry.get(SHARE_TYPE_NAME), ShareType);
  assert.equal(registry.get(INVITE_TYPE_NAME), InviteType);
  assert.deepEqual(registry.types(), [ShareType, InviteType]);
});

Deno.test("TypeRegistry registers types given to the constructor", () => {
  const registry = new TypeRegistry([ComponentType, ResourceType, PropertyType]);

  assert.equal(registry.get("heaobject.registry.Component"), ComponentType);
  assert.equal(registry.get("heaobject.registry.Resource"), ResourceType);
  assert.equal(registry.get("heaobject.registry.Property"), PropertyType);
  assert.equal(registry.types().length, 5);
});

Deno.test("TypeRegistry.get returns undefined for an unknown name", () => {
  const registry = new TypeRegistry([Note]);

  assert.equal(registry.get("example.Missing"), undefined);
  assert.equal(registry.get(""), undefined);
  assert.equal(registry.get("__proto__"), undefined);
});

Deno.test("TypeRegistry.register returns the registry", () => {
  const registry = new TypeRegistry();

  assert.equal(registry.register(Note), registry);
});

Deno.test("TypeRegistry.register accepts the same definition twice", () => {
  const registry = new TypeRegistry([Note]);

  registry.register(Note);
  registry.register(ShareType);

  assert.equal(registry.get("example.Note"), Note);
  assert.equal(registry.types().filter((type) => type.name === "example.Note").length, 1);
});

Deno.test("TypeRegistry.register rejects a conflicting definition", () => {
  const registry = new TypeRegistry([Note]);
  const otherNote = desktopType("example.Note");

  assert.throws(
    () => registry.register(otherNote),
    (error: unknown) => error instanceof TypeError && error.message.includes('"example.Note"'),
  );
  assert.equal(registry.get("example.Note"), Note);
});

Deno.test("TypeRegistry.register rejects redefining the share type", () => {
  const otherShare = defineObjectType({ name: SHARE_TYPE_NAME, displayName: "Share" });

  assert.throws(() => new TypeRegistry([otherShare]), TypeError);
});

Deno.test("isSubtype follows supertype chains", () => {
  const registry = new TypeRegistry([Folder, SharedFolder, TeamFolder, Note]);
  const cases: [string, string, boolean][] = [
    ["example.Folder", "example.Folder", true],
    ["example.SharedFolder", "example.Folder", true],
    ["example.TeamFolder", "example.SharedFolder", true],
    ["example.TeamFolder", "example.Folder", true],
    ["example.Folder", "example.SharedFolder", false],
    ["example.Folder", "example.TeamFolder", false],
    ["example.Note", "example.Folder", false],
    ["example.TeamFolder", "example.Note", false],
  ];

  for (const [name, ancestor, expected] of cases) {
    assert.equal(registry.isSubtype(name, ancestor), expected, `${name} < ${ancestor}`);
  }
});

Deno.test("isSubtype stops at an unregistered supertype", () => {
  const registry = new TypeRegistry([TeamFolder]);

  assert.equal(registry.isSubtype("example.TeamFolder", "example.SharedFolder"), true);
  assert.equal(registry.isSubtype("example.TeamFolder", "example.Folder"), false);
});

Deno.test("isSubtype ends on a supertype cycle", () => {
  const first = desktopType("example.First", "example.Second");
  const second = desktopType("example.Second", "example.First");
  const registry = new TypeRegistry([first, second]);

  assert.equal(registry.isSubtype("example.First", "example.Second"), true);
  assert.equal(registry.isSubtype("example.Second", "example.First"), true);
  assert.equal(registry.isSubtype("example.First", "example.Third"), false);
});

Deno.test("subtypeNames lists a type and its registered subtypes", () => {
  const registry = new TypeRegistry([Folder, SharedFolder, TeamFolder, Note]);

  assert.deepEqual(registry.subtypeNames("example.Folder").sort(), [
    "example.Folder",
    "example.SharedFolder",
    "example.TeamFolder",
  ]);
  assert.deepEqual(registry.subtypeNames("example.SharedFolder").sort(), [
    "example.SharedFolder",
    "example.TeamFolder",
  ]);
  assert.deepEqual(registry.subtypeNames("example.TeamFolder"), ["example.TeamFolder"]);
  assert.deepEqual(registry.subtypeNames("example.Note"), ["example.Note"]);
});

Deno.test("subtypeNames of an unregistered type is empty", () => {
  const registry = new TypeRegistry([Folder]);

  assert.deepEqual(registry.subtypeNames("example.Missing"), []);
});
