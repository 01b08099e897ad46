import assert from "node:assert/strict";
import { ObjectId } from "mongodb";
import { Query } from "mingo";
import {
  ALL_USERS,
  type DesktopObject,
  GETTER_PERMISSIONS,
  NONE_USER,
  PermissionContext,
  PUTTER_PERMISSIONS,
  SUPER_ADMIN_GROUP,
} from "../objects/mod.ts";
import {
  fromStoredDocument,
  relaxElemMatch,
  toStoredDocument,
  toStoredFilter,
  toStoredSort,
} from "./_mongo_mapping.ts";
import { permissionFilter } from "./permission_filter.ts";

const ID_A = "6650f0c2a3b4c5d6e7f80912";
const ID_B = "6650f0c2a3b4c5d6e7f80913";

Deno.test("toStoredFilter maps top-level id", () => {
  const filter = toStoredFilter({ id: ID_A, name: "x" });

  assert.ok(filter._id instanceof ObjectId);
  assert.equal((filter._id as ObjectId).toHexString(), ID_A);
  assert.equal(filter.name, "x");
  assert.equal("id" in filter, false);
});

Deno.test("toStoredFilter maps id operators", () => {
  const filter = toStoredFilter({
    id: { $in: [ID_A, "not-an-id"], $ne: ID_B, $exists: true, $not: { $eq: ID_A } },
  });
  const condition = filter._id as Record<string, unknown>;
  const list = condition.$in as unknown[];

  assert.ok(list[0] instanceof ObjectId);
  assert.equal(list[1], "not-an-id", "an invalid id must stay a string that matches nothing");
  assert.ok(condition.$ne instanceof ObjectId);
  assert.equal(condition.$exists, true);
  assert.ok((condition.$not as Record<string, unknown>).$eq instanceof ObjectId);
});

Deno.test("toStoredFilter maps id inside logical operators", () => {
  const filter = toStoredFilter({
    $and: [{ $or: [{ id: ID_A }, { label: "x" }] }, { $nor: [{ id: ID_B }] }],
  });
  const and = filter.$and as Record<string, unknown>[];
  const or = (and[0] as Record<string, unknown>).$or as Record<string, unknown>[];
  const nor = (and[1] as Record<string, unknown>).$nor as Record<string, unknown>[];

  assert.ok(or[0]?._id instanceof ObjectId);
  assert.equal(or[1]?.label, "x");
  assert.ok(nor[0]?._id instanceof ObjectId);
});

Deno.test("toStoredFilter leaves nested id keys alone", () => {
  const filter = toStoredFilter({ resources: { $elemMatch: { id: ID_A } } });

  assert.deepEqual(filter, { resources: { $elemMatch: { id: ID_A } } });
});

Deno.test("toStoredFilter keeps id and _id both", () => {
  const filter = toStoredFilter({ id: ID_A, _id: { $ne: ID_B } });
  const and = filter.$and as Record<string, unknown>[];

  assert.equal(and.length, 2);
  assert.ok(and.every((condition) => "_id" in condition));
});

Deno.test("toStoredSort appends _id once", () => {
  assert.deepEqual(toStoredSort([]), [["_id", 1]]);
  assert.deepEqual(toStoredSort([{ attribute: "name", order: -1 }]), [["name", -1], ["_id", 1]]);
  assert.deepEqual(
    toStoredSort([{ attribute: "id", order: -1 }, { attribute: "name", order: 1 }]),
    [["_id", -1], ["name", 1]],
  );
  assert.deepEqual(
    toStoredSort([{ attribute: "a", order: 1 }, { attribute: "a", order: -1 }]),
    [["a", 1], ["_id", 1]],
  );
});

Deno.test("stored documents swap id and _id", () => {
  const objectId = new ObjectId(ID_A);
  const object = { id: ID_A, type: "x.Y", name: "n" } as unknown as DesktopObject;

  const stored = toStoredDocument(object, objectId);
  const restored = fromStoredDocument({ ...stored, id: "stale" });

  assert.equal(stored._id, objectId);
  assert.equal("id" in stored, false);
  assert.equal(restored.id, ID_A);
  assert.equal(restored.name, "n");
  assert.equal("_id" in restored, false);
});

Deno.test("fromStoredDocument converts BSON values to JSON", () => {
  const restored = fromStoredDocument({
    _id: new ObjectId(ID_A),
    created: new Date("2024-05-01T12:30:00Z"),
    nested: { when: [new Date(0)], ref: new ObjectId(ID_B) },
  });

  assert.equal(restored.created, "2024-05-01T12:30:00.000Z");
  assert.deepEqual(restored.nested, { when: ["1970-01-01T00:00:00.000Z"], ref: ID_B });
});

/** Documents that exercise every branch of the permission filter. */
const DOCUMENTS: Record<string, unknown>[] = [
  { name: "owned", owner: "bob", shares: [] },
  { name: "viewer", owner: "carol", shares: [userShare("bob", ["VIEWER"])] },
  { name: "deleter-only", owner: "carol", shares: [userShare("bob", ["DELETER"])] },
  {
    name: "split",
    owner: "carol",
    shares: [userShare("bob", ["DELETER"]), userShare("erin", ["EDITOR"])],
  },
  { name: "group", owner: "carol", shares: [groupShare("/team", ["VIEWER"])] },
  { name: "everyone", owner: "carol", shares: [userShare(ALL_USERS, ["VIEWER"])] },
  { name: "everyone-owns", owner: ALL_USERS, shares: [] },
  {
    name: "super",
    owner: "carol",
    shares: [],
    super_admin_default_permissions: ["VIEWER", "EDITOR"],
  },
];

Deno.test("relaxElemMatch admits a superset of the exact filter", () => {
  const contexts = [
    new PermissionContext("bob"),
    new PermissionContext("dave", ["/team"]),
    new PermissionContext("sam", [SUPER_ADMIN_GROUP]),
    new PermissionContext(NONE_USER),
  ];

  for (const context of contexts) {
    for (const needed of [GETTER_PERMISSIONS, PUTTER_PERMISSIONS]) {
      const exact = permissionFilter(context, needed);
      const exactNames = matching(exact);
      const relaxedNames = matching(relaxElemMatch(exact));
      const permitted = DOCUMENTS.filter((document) =>
        context.hasAny(document as DesktopObject, needed)
      ).map((document) => String(document.name));

      for (const name of exactNames) {
        assert.ok(relaxedNames.includes(name), `${context.sub} ${needed}: relaxed lost ${name}`);
      }
      for (const name of permitted) {
        assert.ok(exactNames.includes(name), `${context.sub} ${needed}: exact lost ${name}`);
      }
    }
  }
});

Deno.test("relaxElemMatch over-matches split shares only", () => {
  const exact = permissionFilter(new PermissionContext("bob"), PUTTER_PERMISSIONS);

  assert.deepEqual(matching(exact), ["owned", "everyone-owns"]);
  assert.deepEqual(matching(relaxElemMatch(exact)), ["owned", "split", "everyone-owns"]);
});

Deno.test("relaxElemMatch leaves operator-form $elemMatch", () => {
  const filter = { tags: { $elemMatch: { $in: ["a"] } }, name: "x" };

  assert.deepEqual(relaxElemMatch(filter), filter);
});

Deno.test("relaxElemMatch rewrites field conditions into dotted paths", () => {
  const relaxed = relaxElemMatch({
    shares: { $elemMatch: { user: "bob", permissions: { $elemMatch: { $in: ["VIEWER"] } } } },
  });

  assert.deepEqual(relaxed, {
    $and: [{
      $and: [
        { "shares.user": "bob" },
        { "shares.permissions": { $elemMatch: { $in: ["VIEWER"] } } },
      ],
    }],
  });
});

function matching(filter: Record<string, unknown>): string[] {
  const query = new Query(filter);

  return DOCUMENTS.filter((document) => query.test(document)).map((document) =>
    String(document.name)
  );
}

function userShare(user: string, permissions: string[]): Record<string, unknown> {
  return { user, group: NONE_USER, basis: "USER", permissions };
}

function groupShare(group: string, permissions: string[]): Record<string, unknown> {
  return { user: NONE_USER, group, basis: "GROUP", permissions };
}
