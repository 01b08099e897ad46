/**
 * The conformance suite that every {@linkcode Database} implementation must pass, so that services
 * behave the same on the embedded store and on MongoDB.
 *
 * @module
 */

import assert from "node:assert/strict";
import {
  AdminPermissionContext,
  ALL_USERS,
  attribute,
  completeObject,
  defineDesktopObjectType,
  type DesktopObject,
  newObject,
  NONE_USER,
  type ObjectType,
  type Permission,
  PermissionContext,
  type Share,
  ShareType,
  SUPER_ADMIN_GROUP,
} from "../objects/mod.ts";
import type { ContentStore } from "../db/content.ts";
import type { Database, Filter, GetAllOptions, SortKey } from "../db/database.ts";
import { DuplicateNameError } from "../db/duplicate_name_error.ts";
import { isObjectId } from "../db/object_id.ts";

/** Options of {@linkcode runDatabaseConformance}, besides the store's name and factory. */
export interface DatabaseConformanceOptions<D extends Database & ContentStore> {
  /** Whether to register the tests as ignored, such as when the store's server is not configured. */
  readonly ignore?: boolean;
  /** Releases a store after a test. Defaults to `database.close()`. */
  readonly dispose?: (database: D) => Promise<void>;
  /**
   * Whether Deno's op and resource sanitizers run. Default `true`. Turn them off for stores whose
   * driver keeps timers or sockets briefly after `close()`.
   */
  readonly sanitize?: boolean;
  /**
   * Returns whether the store lets only one object without a name into a unique-name collection,
   * as MongoDB's unique indexes do where partial indexes are missing (FerretDB v1). Default: no,
   * any number of unnamed objects is allowed.
   */
  readonly unnamedObjectsConflict?: (database: D) => Promise<boolean>;
}

/** The type of the suite's objects. */
const ItemType: ObjectType = defineDesktopObjectType({
  name: "heaserver.conformance.Item",
  displayName: "Conformance Item",
  attributes: {
    label: attribute.string(),
    rank: attribute.number(),
    category: attribute.string(),
    details: attribute.json(),
    tags: attribute.strings(),
    members: attribute.strings(),
  },
});

/** A type whose `members` get VIEWER through a dynamic permission. */
const DynamicItemType: ObjectType = defineDesktopObjectType({
  name: "heaserver.conformance.DynamicItem",
  displayName: "Conformance Dynamic Item",
  attributes: { label: attribute.string(), members: attribute.strings() },
  dynamicPermission: (object, sub) =>
    Array.isArray(object.members) && object.members.includes(sub) ? ["VIEWER"] : [],
});

const ITEMS = "conformance_items";
const NAMED_ITEMS = "conformance_named_items";
const DYNAMIC_ITEMS = "conformance_dynamic_items";

const ADMIN = new AdminPermissionContext();
const ALICE = new PermissionContext("alice");
const BOB = new PermissionContext("bob");

/** Callers of the permission matrix, by role. */
const CALLERS: Readonly<Record<string, PermissionContext>> = {
  owner: ALICE,
  "user-share viewer": BOB,
  "user-share editor": new PermissionContext("erin"),
  "group member": new PermissionContext("dave", ["/team"]),
  stranger: new PermissionContext("mallory", ["/other"]),
  "super admin": new PermissionContext("sam", [SUPER_ADMIN_GROUP]),
  "system|none": new PermissionContext(NONE_USER),
  admin: ADMIN,
};

/**
 * The permissions of each caller on each fixture object: V view, E edit, D delete. The fixtures are
 * `private` (alice's, shared with bob as viewer, erin as editor, the group /team as viewer and
 * deleter, with VIEWER for super admins), `public` (carol's, shared with system|all as viewer),
 * `everyone` (owned by system|all) and `restricted` (carol's, unshared, with VIEWER, EDITOR and
 * DELETER for super admins).
 */
const MATRIX: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  owner: { private: "VED", public: "V", everyone: "VED", restricted: "" },
  "user-share viewer": { private: "V", public: "V", everyone: "VED", restricted: "" },
  "user-share editor": { private: "VE", public: "V", everyone: "VED", restricted: "" },
  "group member": { private: "VD", public: "V", everyone: "VED", restricted: "" },
  stranger: { private: "", public: "V", everyone: "VED", restricted: "" },
  "super admin": { private: "V", public: "V", everyone: "VED", restricted: "VED" },
  "system|none": { private: "", public: "V", everyone: "VED", restricted: "" },
  admin: { private: "VED", public: "VED", everyone: "VED", restricted: "VED" },
};

const INVALID_IDS: readonly string[] = [
  "",
  "not-an-id",
  "6650F0C2A3B4C5D6E7F80912",
  "6650f0c2a3b4c5d6e7f8091",
  "6650f0c2a3b4c5d6e7f809120",
  "zzzzzzzzzzzzzzzzzzzzzzzz",
  '{"$ne":null}',
];

/** A valid id that no store has issued in these tests. */
const ABSENT_ID = "0000000000000000000000aa";

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * Registers the conformance tests of a store with `Deno.test`, each named `NAME: case`. Each test
 * opens a store with `open`, which must return an empty one, and disposes of it at the end. The
 * tests cover CRUD, the permission matrix, sorting, pagination, names, unique names, invalid ids,
 * filters and content.
 *
 * @example Run the suite against the embedded store
 * ```ts ignore
 * import { SqliteDatabase } from "@hea/server/db";
 * import { runDatabaseConformance } from "@hea/server/testing";
 *
 * runDatabaseConformance("SqliteDatabase", () => Promise.resolve(new SqliteDatabase()));
 * ```
 */
export function runDatabaseConformance<D extends Database & ContentStore>(
  name: string,
  open: () => Promise<D>,
  options: DatabaseConformanceOptions<D> = {},
): void {
  const sanitize = options.sanitize ?? true;
  const dispose = options.dispose ?? ((database: D) => database.close());

  function test(caseName: string, body: (database: D) => Promise<void>): void {
    Deno.test({
      name: `${name}: ${caseName}`,
      ignore: options.ignore ?? false,
      sanitizeOps: sanitize,
      sanitizeResources: sanitize,
      fn: async () => {
        const database = await open();
        try {
          await body(database);
        } finally {
          await dispose(database);
        }
      },
    });
  }

  registerCrudTests(test);
  registerPermissionTests(test);
  registerSortTests(test);
  registerPaginationTests(test);
  registerNameTests(test, options.unnamedObjectsConflict);
  registerInvalidIdTests(test);
  registerFilterTests(test);
  registerContentTests(test);
}

type Register<D extends Database & ContentStore> = (
  caseName: string,
  body: (database: D) => Promise<void>,
) => void;

function registerCrudTests<D extends Database & ContentStore>(test: Register<D>): void {
  test("insert and get round trip", async (database) => {
    await database.ensureCollection(ITEMS, { type: ItemType, uniqueName: false });
    const input = item({
      name: "round-trip",
      label: "héllo ✓ 日本",
      rank: 1.5,
      details: { nested: { deep: [1, "two", true, null] }, empty: {}, flag: false },
      tags: [],
      derived_from: ["source-a"],
      description: null,
    });

    const id = await database.insert(ITEMS, input);
    const stored = await database.get(ITEMS, id, ALICE);

    assert.ok(isObjectId(id), `insert returned ${id}, not a 24-digit hexadecimal id`);
    assert.ok(stored, "the owner cannot read the object just inserted");
    assert.equal(stored.id, id);
    assert.equal(stored.instance_id, `${ItemType.name}^${id}`);
    assert.match(String(stored.created), ISO_UTC);
    assert.equal(stored.modified, stored.created);
    for (const [key, value] of Object.entries(input)) {
      if (!["id", "instance_id", "created", "modified"].includes(key)) {
        assert.deepEqual(stored[key], value, `attribute ${key} changed in the round trip`);
      }
    }
    assert.equal(input.id, null, "insert changed the caller's object");
  });

  test("insert ignores a given id", async (database) => {
    const id = await database.insert(ITEMS, item({ id: ABSENT_ID, name: "preset" }));

    assert.notEqual(id, ABSENT_ID);
    assert.equal(await database.get(ITEMS, ABSENT_ID, ADMIN), null);
    assert.equal((await database.get(ITEMS, id, ADMIN))?.name, "preset");
  });

  test("update keeps created and stamps modified", async (database) => {
    const id = await database.insert(ITEMS, item({ name: "before", label: "old" }));
    const inserted = await database.get(ITEMS, id, ALICE);
    assert.ok(inserted);
    await delay(5);

    const updated = await database.update(
      ITEMS,
      { ...inserted, label: "new", created: "1999-01-01T00:00:00.000Z" },
      ALICE,
    );
    const stored = await database.get(ITEMS, id, ALICE);

    assert.equal(updated, true);
    assert.ok(stored);
    assert.equal(stored.label, "new");
    assert.equal(stored.created, inserted.created);
    assert.match(String(stored.modified), ISO_UTC);
    assert.ok(String(stored.modified) > String(inserted.modified), "modified did not advance");
    assert.equal(stored.instance_id, `${ItemType.name}^${id}`);
  });

  test("delete removes the object", async (database) => {
    const id = await database.insert(ITEMS, item({ name: "doomed" }));
    const object = await database.get(ITEMS, id, ALICE);
    assert.ok(object);

    assert.equal(await database.delete(ITEMS, id, ALICE), true);
    assert.equal(await database.get(ITEMS, id, ALICE), null);
    assert.equal(await database.getByName(ITEMS, "doomed", ALICE), null);
    assert.deepEqual(await names(database.getAll(ITEMS, ALICE)), []);
    assert.equal(await database.delete(ITEMS, id, ALICE), false, "a second delete succeeded");
    assert.equal(await database.update(ITEMS, object, ALICE), false, "a deleted object updated");
  });

  test("getAll without sort returns insertion order", async (database) => {
    for (const label of ["c", "a", "b"]) {
      await database.insert(ITEMS, item({ name: label }));
    }

    assert.deepEqual(await names(database.getAll(ITEMS, ALICE)), ["c", "a", "b"]);
  });

  test("collections are separate", async (database) => {
    const itemId = await database.insert(ITEMS, item({ name: "in-items" }));
    const otherId = await database.insert("conformance_others", item({ name: "in-others" }));

    assert.deepEqual(await names(database.getAll("conformance_others", ALICE)), ["in-others"]);
    assert.equal(await database.get("conformance_others", itemId, ADMIN), null);
    assert.equal(await database.get(ITEMS, otherId, ADMIN), null);
    assert.equal(await database.getByName(ITEMS, "in-others", ADMIN), null);
    assert.equal(await database.delete(ITEMS, otherId, ADMIN), false);
  });

  test("getAll stops early without leaking", async (database) => {
    for (let index = 0; index < 5; index++) {
      await database.insert(ITEMS, item({ name: `item-${index}` }));
    }

    const first: string[] = [];
    for await (const object of database.getAll(ITEMS, ALICE)) {
      first.push(String(object.name));
      break;
    }

    assert.deepEqual(first, ["item-0"]);
    assert.equal((await Array.fromAsync(database.getAll(ITEMS, ALICE))).length, 5);
  });
}

function registerPermissionTests<D extends Database & ContentStore>(test: Register<D>): void {
  test("permissions for get, getByName and getAll", async (database) => {
    await database.ensureCollection(ITEMS, { type: ItemType, uniqueName: false });
    const ids = await insertFixtures(database, ITEMS);

    for (const [role, context] of Object.entries(CALLERS)) {
      const expectedVisible: string[] = [];
      for (const [fixture, id] of Object.entries(ids)) {
        const mayView = allowed(role, fixture, "V");
        if (mayView) {
          expectedVisible.push(fixture);
        }
        const byId = await database.get(ITEMS, id, context);
        assert.equal(byId !== null, mayView, `${role} get ${fixture}: expected ${mayView}`);
        const byName = await database.getByName(ITEMS, fixture, context);
        assert.equal(byName !== null, mayView, `${role} getByName ${fixture}: expected ${mayView}`);
      }
      const listed = await names(database.getAll(ITEMS, context));
      assert.deepEqual(listed, expectedVisible, `${role} getAll`);
    }
  });

  test("permissions for update", async (database) => {
    await database.ensureCollection(ITEMS, { type: ItemType, uniqueName: false });
    const ids = await insertFixtures(database, ITEMS);

    for (const [role, context] of Object.entries(CALLERS)) {
      for (const [fixture, id] of Object.entries(ids)) {
        const before = await database.get(ITEMS, id, ADMIN);
        assert.ok(before);
        const mayEdit = allowed(role, fixture, "E");

        const updated = await database.update(ITEMS, { ...before, label: role }, context);
        const after = await database.get(ITEMS, id, ADMIN);

        assert.equal(updated, mayEdit, `${role} update ${fixture}: expected ${mayEdit}`);
        assert.equal(
          after?.label,
          mayEdit ? role : before.label,
          `${role} update ${fixture} label`,
        );
      }
    }
  });

  test("permissions for delete", async (database) => {
    await database.ensureCollection(ITEMS, { type: ItemType, uniqueName: false });

    for (const [role, context] of Object.entries(CALLERS)) {
      const collection = `${ITEMS}_${role.replace(/[^a-z]/g, "_")}`;
      const ids = await insertFixtures(database, collection);
      for (const [fixture, id] of Object.entries(ids)) {
        const mayDelete = allowed(role, fixture, "D");

        const deleted = await database.delete(collection, id, context);
        const remaining = await database.get(collection, id, ADMIN);

        assert.equal(deleted, mayDelete, `${role} delete ${fixture}: expected ${mayDelete}`);
        assert.equal(remaining === null, mayDelete, `${role} delete ${fixture} left the object`);
      }
    }
  });

  test("dynamic permissions grant viewing", async (database) => {
    await database.ensureCollection(DYNAMIC_ITEMS, { type: DynamicItemType, uniqueName: false });
    const mia = new PermissionContext("mia");
    const ids: string[] = [];
    for (let index = 0; index < 6; index++) {
      const member = index % 2 === 0;
      ids.push(
        await database.insert(
          DYNAMIC_ITEMS,
          item({
            name: `dynamic-${index}`,
            owner: "carol",
            members: member ? ["mia"] : ["someone-else"],
            dynamic_permission_supported: true,
          }, DynamicItemType),
        ),
      );
    }
    const unflagged = await database.insert(
      DYNAMIC_ITEMS,
      item({ name: "unflagged", owner: "carol", members: ["mia"] }, DynamicItemType),
    );

    const visible = await names(database.getAll(DYNAMIC_ITEMS, mia));
    const secondPage = await names(database.getAll(DYNAMIC_ITEMS, mia, { begin: 1, end: 3 }));
    const member = await database.get(DYNAMIC_ITEMS, ids[0] as string, mia);

    assert.deepEqual(visible, ["dynamic-0", "dynamic-2", "dynamic-4"]);
    assert.deepEqual(secondPage, ["dynamic-2", "dynamic-4"]);
    assert.ok(member, "a member cannot get an object its dynamic permission grants");
    assert.equal(await database.get(DYNAMIC_ITEMS, ids[1] as string, mia), null);
    assert.equal(await database.getByName(DYNAMIC_ITEMS, "dynamic-2", mia) !== null, true);
    assert.equal(await database.get(DYNAMIC_ITEMS, unflagged, mia), null);
    assert.equal(await database.update(DYNAMIC_ITEMS, member, mia), false, "VIEWER updated");
    assert.equal(await database.delete(DYNAMIC_ITEMS, ids[0] as string, mia), false);
  });

  test("dynamic flag without a dynamic type grants nothing", async (database) => {
    await database.ensureCollection(ITEMS, { type: ItemType, uniqueName: false });
    for (let index = 0; index < 6; index++) {
      const shared = index % 2 === 0;
      await database.insert(
        ITEMS,
        item({
          name: `flagged-${index}`,
          owner: "carol",
          members: ["bob"],
          dynamic_permission_supported: true,
          user_shares: shared ? [share("bob", ["VIEWER"])] : [],
        }),
      );
    }

    const pages = [
      await names(database.getAll(ITEMS, BOB, { begin: 0, end: 2 })),
      await names(database.getAll(ITEMS, BOB, { begin: 2, end: 4 })),
    ];

    assert.deepEqual(pages, [["flagged-0", "flagged-2"], ["flagged-4"]]);
  });
}

function registerSortTests<D extends Database & ContentStore>(test: Register<D>): void {
  test("sort puts missing values first ascending", async (database) => {
    await insertRanks(database);

    const ascending = await names(database.getAll(ITEMS, ALICE, { sort: [asc("rank")] }));

    assert.deepEqual(ascending, ["missing-1", "null", "missing-2", "one", "two", "three"]);
  });

  test("sort puts missing values last descending", async (database) => {
    await insertRanks(database);

    const descending = await names(database.getAll(ITEMS, ALICE, { sort: [desc("rank")] }));

    assert.deepEqual(descending, ["three", "two", "one", "missing-1", "null", "missing-2"]);
  });

  test("multi-key sort", async (database) => {
    const rows: [string, string, number][] = [
      ["x1", "x", 1],
      ["y5", "y", 5],
      ["x3-first", "x", 3],
      ["y2", "y", 2],
      ["x3-second", "x", 3],
    ];
    for (const [name, category, rank] of rows) {
      await database.insert(ITEMS, item({ name, category, rank }));
    }

    const sorted = await names(
      database.getAll(ITEMS, ALICE, { sort: [asc("category"), desc("rank")] }),
    );

    assert.deepEqual(sorted, ["x3-first", "x3-second", "x1", "y5", "y2"]);
  });

  test("sort by id and by nested attribute", async (database) => {
    const rows: [string, Record<string, unknown> | null][] = [
      ["size-2", { size: 2 }],
      ["no-details", null],
      ["size-1", { size: 1 }],
    ];
    for (const [name, details] of rows) {
      await database.insert(ITEMS, item({ name, details, label: "same" }));
    }

    const byIdDescending = await names(database.getAll(ITEMS, ALICE, { sort: [desc("id")] }));
    const byNested = await names(database.getAll(ITEMS, ALICE, { sort: [asc("details.size")] }));
    const byLabelThenId = await names(
      database.getAll(ITEMS, ALICE, { sort: [asc("label"), desc("id")] }),
    );

    assert.deepEqual(byIdDescending, ["size-1", "no-details", "size-2"]);
    assert.deepEqual(byNested, ["no-details", "size-1", "size-2"]);
    assert.deepEqual(byLabelThenId, ["size-1", "no-details", "size-2"]);
  });

  test("strings sort by code point", async (database) => {
    for (const label of ["b", "a", "C", "ä"]) {
      await database.insert(ITEMS, item({ name: label, label }));
    }

    const sorted = await names(database.getAll(ITEMS, ALICE, { sort: [asc("label")] }));

    assert.deepEqual(sorted, ["C", "a", "b", "ä"]);
  });
}

function registerPaginationTests<D extends Database & ContentStore>(test: Register<D>): void {
  test("pagination edges", async (database) => {
    for (let index = 0; index < 7; index++) {
      await database.insert(ITEMS, item({ name: `p${index}`, rank: 1 }));
    }
    const all = ["p0", "p1", "p2", "p3", "p4", "p5", "p6"];
    const page = (begin?: number, end?: number) =>
      names(database.getAll(ITEMS, ALICE, { sort: [asc("rank")], ...range(begin, end) }));

    assert.deepEqual(await page(0, 3), all.slice(0, 3), "begin=0");
    assert.deepEqual(await page(5), all.slice(5), "begin without end");
    assert.deepEqual(await page(undefined, 2), all.slice(0, 2), "end without begin");
    assert.deepEqual(await page(7, 10), [], "begin at the end");
    assert.deepEqual(await page(100), [], "begin beyond the end");
    assert.deepEqual(await page(3, 3), [], "end equal to begin");
    assert.deepEqual(await page(4, 2), [], "end before begin");
    assert.deepEqual(await page(0, 0), [], "end 0");
    assert.deepEqual(await page(0, 100), all, "end beyond the end");
    assert.deepEqual(await page(-3, 2), all.slice(0, 2), "negative begin");
  });

  test("pages cover all objects under ties", async (database) => {
    for (let index = 0; index < 9; index++) {
      await database.insert(ITEMS, item({ name: `t${index}`, rank: index % 2 }));
    }
    const sort = [desc("rank")];
    const full = await names(database.getAll(ITEMS, ALICE, { sort }));

    const paged: string[] = [];
    for (let begin = 0; begin < 9; begin += 2) {
      paged.push(...await names(database.getAll(ITEMS, ALICE, { sort, begin, end: begin + 2 })));
    }

    assert.deepEqual(full, ["t1", "t3", "t5", "t7", "t0", "t2", "t4", "t6", "t8"]);
    assert.deepEqual(paged, full);
  });

  test("pages count only visible objects", async (database) => {
    await database.ensureCollection(ITEMS, { type: ItemType, uniqueName: false });
    for (let index = 0; index < 8; index++) {
      // Even objects are visible to everyone, odd ones only to the group /team.
      const shares = index % 2 === 0
        ? { user_shares: [share(ALL_USERS, ["VIEWER"])] }
        : { group_shares: [groupShare("/team", ["VIEWER"])] };
      await database.insert(ITEMS, item({ name: `v${index}`, owner: "carol", ...shares }));
    }
    const anonymous = CALLERS["system|none"] as PermissionContext;

    for (const context of [BOB, anonymous]) {
      const pages = [
        await names(database.getAll(ITEMS, context, { begin: 0, end: 3 })),
        await names(database.getAll(ITEMS, context, { begin: 3, end: 6 })),
      ];
      assert.deepEqual(pages, [["v0", "v2", "v4"], ["v6"]], `pages of ${context.sub}`);
    }
  });
}

function registerNameTests<D extends Database & ContentStore>(
  test: Register<D>,
  unnamedObjectsConflict: ((database: D) => Promise<boolean>) | undefined,
): void {
  test("getByName finds the oldest visible match", async (database) => {
    await database.insert(ITEMS, item({ name: "twin", label: "first", owner: "carol" }));
    await database.insert(ITEMS, item({ name: "twin", label: "second" }));
    await database.insert(ITEMS, item({ name: "twin", label: "third" }));

    assert.equal((await database.getByName(ITEMS, "twin", ADMIN))?.label, "first");
    assert.equal((await database.getByName(ITEMS, "twin", ALICE))?.label, "second");
    assert.equal(await database.getByName(ITEMS, "missing", ADMIN), null);
    assert.equal(await database.getByName(ITEMS, "", ADMIN), null);
  });

  test("unique name conflict on insert", async (database) => {
    await database.ensureCollection(NAMED_ITEMS, { type: ItemType, uniqueName: true });
    await database.insert(NAMED_ITEMS, item({ name: "taken" }));

    const error = await rejection(database.insert(NAMED_ITEMS, item({ name: "taken" })));

    assert.ok(error instanceof DuplicateNameError, `expected DuplicateNameError, got ${error}`);
    assert.equal(error.collection, NAMED_ITEMS);
    assert.equal(error.objectName, "taken");
    assert.equal((await Array.fromAsync(database.getAll(NAMED_ITEMS, ADMIN))).length, 1);
  });

  test("unique name conflict on update", async (database) => {
    await database.ensureCollection(NAMED_ITEMS, { type: ItemType, uniqueName: true });
    await database.insert(NAMED_ITEMS, item({ name: "taken" }));
    const otherId = await database.insert(NAMED_ITEMS, item({ name: "other" }));
    const other = await database.get(NAMED_ITEMS, otherId, ALICE);
    assert.ok(other);

    const error = await rejection(database.update(NAMED_ITEMS, { ...other, name: "taken" }, ALICE));
    const unchanged = await database.get(NAMED_ITEMS, otherId, ALICE);
    const keptName = await database.update(NAMED_ITEMS, { ...other, label: "kept" }, ALICE);

    assert.ok(error instanceof DuplicateNameError, `expected DuplicateNameError, got ${error}`);
    assert.equal(error.objectName, "taken");
    assert.equal(unchanged?.name, "other");
    assert.equal(keptName, true, "updating an object under its own name failed");
  });

  test("unique names free after delete and per collection", async (database) => {
    await database.ensureCollection(NAMED_ITEMS, { type: ItemType, uniqueName: true });
    const id = await database.insert(NAMED_ITEMS, item({ name: "reused" }));

    await database.delete(NAMED_ITEMS, id, ALICE);
    const again = await database.insert(NAMED_ITEMS, item({ name: "reused" }));
    await database.insert(ITEMS, item({ name: "reused" }));
    await database.insert(ITEMS, item({ name: "reused" }));

    assert.ok(isObjectId(again));
    assert.equal((await Array.fromAsync(database.getAll(ITEMS, ADMIN))).length, 2);
  });

  test("unnamed objects in a unique-name collection", async (database) => {
    await database.ensureCollection(NAMED_ITEMS, { type: ItemType, uniqueName: true });
    const conflict = await unnamedObjectsConflict?.(database) ?? false;
    await database.insert(NAMED_ITEMS, item({ name: null }));

    const second = database.insert(NAMED_ITEMS, item({ name: null }));

    if (conflict) {
      await assert.rejects(second, DuplicateNameError);
    } else {
      assert.ok(isObjectId(await second));
    }
  });
}

function registerInvalidIdTests<D extends Database & ContentStore>(test: Register<D>): void {
  test("invalid ids are not found", async (database) => {
    const id = await database.insert(ITEMS, item({ name: "real" }));
    const real = await database.get(ITEMS, id, ALICE);
    assert.ok(real);

    for (const invalid of [...INVALID_IDS, ABSENT_ID]) {
      const label = JSON.stringify(invalid);
      for (const context of [ALICE, ADMIN]) {
        assert.equal(await database.get(ITEMS, invalid, context), null, `get ${label}`);
        assert.equal(await database.delete(ITEMS, invalid, context), false, `delete ${label}`);
        assert.equal(
          await database.update(ITEMS, { ...real, id: invalid }, context),
          false,
          `update ${label}`,
        );
        assert.equal(
          await database.getContent(ITEMS, invalid, context),
          null,
          `getContent ${label}`,
        );
        assert.equal(
          await database.putContent(ITEMS, invalid, textStream("x"), "text/plain", context),
          false,
          `putContent ${label}`,
        );
      }
      assert.deepEqual(
        await names(database.getAll(ITEMS, ADMIN, { filter: { id: invalid } })),
        [],
        `filter on id ${label}`,
      );
    }
    assert.equal(
      await database.update(ITEMS, { ...real, id: null }, ALICE),
      false,
      "update null id",
    );
    assert.equal((await database.get(ITEMS, id, ALICE))?.name, "real");
  });
}

function registerFilterTests<D extends Database & ContentStore>(test: Register<D>): void {
  test("filters on attributes", async (database) => {
    await insertFilterFixtures(database);
    const filtered = (filter: Filter) => names(database.getAll(ITEMS, ALICE, { filter }));

    assert.deepEqual(await filtered({ label: "b" }), ["B"], "equality");
    assert.deepEqual(await filtered({ category: { $in: ["x"] } }), ["A", "C"], "$in");
    assert.deepEqual(await filtered({ "details.size": 2 }), ["B"], "nested attribute");
    assert.deepEqual(await filtered({ "details.color": "red" }), ["A"], "nested string");
    assert.deepEqual(await filtered({ tags: "t2" }), ["A"], "list element");
    assert.deepEqual(await filtered({ rank: { $gte: 2 } }), ["B", "C"], "$gte");
    assert.deepEqual(await filtered({}), ["A", "B", "C"], "empty filter");
    assert.deepEqual(
      await filtered({ $or: [{ label: "a" }, { rank: 3 }] }),
      ["A", "C"],
      "$or",
    );
  });

  test("filters on id", async (database) => {
    const ids = await insertFilterFixtures(database);
    const filtered = (filter: Filter) => names(database.getAll(ITEMS, ALICE, { filter }));

    assert.deepEqual(await filtered({ id: ids.B }), ["B"], "id equality");
    assert.deepEqual(
      await filtered({ id: { $in: [ids.A, ids.C, "not-an-id"] } }),
      ["A", "C"],
      "id $in",
    );
    assert.deepEqual(
      await filtered({ $or: [{ id: ids.A }, { label: "c" }] }),
      ["A", "C"],
      "id inside $or",
    );
    assert.deepEqual(
      await filtered({ $and: [{ category: "x" }, { id: { $ne: ids.A } }] }),
      ["C"],
      "id $ne inside $and",
    );
    assert.deepEqual(
      await filtered({ $and: [{ $or: [{ id: ids.B }, { id: ids.C }] }] }),
      ["B", "C"],
      "id two levels down",
    );
    assert.deepEqual(await filtered({ id: { $nin: [ids.A] } }), ["B", "C"], "id $nin");
  });

  test("filters combine with permissions, sort and pages", async (database) => {
    await insertFilterFixtures(database);
    const stranger = CALLERS.stranger as PermissionContext;

    const hidden = await names(database.getAll(ITEMS, stranger, { filter: { label: "a" } }));
    const page = await names(
      database.getAll(ITEMS, ALICE, {
        filter: { category: "x" },
        sort: [desc("rank")],
        begin: 1,
        end: 2,
      }),
    );

    assert.deepEqual(hidden, []);
    assert.deepEqual(page, ["A"]);
  });
}

function registerContentTests<D extends Database & ContentStore>(test: Register<D>): void {
  test("content round trip with content type", async (database) => {
    await database.ensureCollection(ITEMS, { type: ItemType, uniqueName: false });
    const ids = await insertFixtures(database, ITEMS);
    const id = ids.private as string;

    const stored = await database.putContent(ITEMS, id, textStream("hello"), "text/plain", ALICE);
    const content = await database.getContent(ITEMS, id, ALICE);

    assert.equal(stored, true);
    assert.ok(content, "the owner cannot read the content just stored");
    assert.equal(content.contentType, "text/plain");
    assert.ok(content.length === undefined || content.length === 5, `length ${content.length}`);
    assert.equal(await new Response(content.stream).text(), "hello");
  });

  test("content follows object permissions", async (database) => {
    await database.ensureCollection(ITEMS, { type: ItemType, uniqueName: false });
    const ids = await insertFixtures(database, ITEMS);
    const id = ids.private as string;
    const editor = CALLERS["user-share editor"] as PermissionContext;
    const stranger = CALLERS.stranger as PermissionContext;
    await database.putContent(ITEMS, id, textStream("first"), "text/plain", ALICE);

    const byViewer = await database.putContent(ITEMS, id, textStream("x"), "text/x-bad", BOB);
    const byStranger = await database.putContent(
      ITEMS,
      id,
      textStream("x"),
      "text/x-bad",
      stranger,
    );
    const viewerCopy = await readText(database.getContent(ITEMS, id, BOB));
    const strangerCopy = await database.getContent(ITEMS, id, stranger);
    const byEditor = await database.putContent(
      ITEMS,
      id,
      textStream("second"),
      "text/markdown",
      editor,
    );
    const replaced = await database.getContent(ITEMS, id, ALICE);

    assert.equal(byViewer, false, "a viewer replaced the content");
    assert.equal(byStranger, false, "a stranger replaced the content");
    assert.equal(viewerCopy, "first");
    assert.equal(strangerCopy, null, "a stranger read the content");
    assert.equal(byEditor, true, "an editor could not replace the content");
    assert.equal(replaced?.contentType, "text/markdown");
    assert.equal(await new Response(replaced?.stream).text(), "second");
  });

  test("failed upload keeps the old content", async (database) => {
    const id = await database.insert(ITEMS, item({ name: "kept-content" }));
    await database.putContent(ITEMS, id, textStream("original"), "text/plain", ALICE);

    const upload = database.putContent(ITEMS, id, failingStream(), "text/x-new", ALICE);

    await assert.rejects(upload, /client went away/);
    const content = await database.getContent(ITEMS, id, ALICE);
    assert.equal(content?.contentType, "text/plain");
    assert.equal(await new Response(content?.stream).text(), "original");
  });

  test("content of missing objects and objects without content", async (database) => {
    const id = await database.insert(ITEMS, item({ name: "empty-handed" }));

    assert.equal(await database.getContent(ITEMS, id, ALICE), null, "content before any was put");
    assert.equal(
      await database.putContent(ITEMS, ABSENT_ID, textStream("x"), "text/plain", ADMIN),
      false,
      "content stored for a missing object",
    );
    assert.equal(await database.getContent(ITEMS, ABSENT_ID, ADMIN), null);
  });

  test("content deleted with its object", async (database) => {
    const id = await database.insert(ITEMS, item({ name: "with-content" }));
    await database.putContent(ITEMS, id, textStream("bye"), "text/plain", ALICE);
    const otherId = await database.insert(ITEMS, item({ name: "neighbour" }));
    await database.putContent(ITEMS, otherId, textStream("stay"), "text/plain", ALICE);

    await database.delete(ITEMS, id, ALICE);

    assert.equal(await database.getContent(ITEMS, id, ADMIN), null);
    assert.equal(await readText(database.getContent(ITEMS, otherId, ADMIN)), "stay");
  });

  test("large and empty content", async (database) => {
    const id = await database.insert(ITEMS, item({ name: "large" }));
    const emptyId = await database.insert(ITEMS, item({ name: "empty" }));
    const size = 1024 * 1024 + 123;

    await database.putContent(
      ITEMS,
      id,
      patternStream(size, 64 * 1024),
      "application/x-test",
      ALICE,
    );
    await database.putContent(ITEMS, emptyId, textStream(""), "text/plain", ALICE);
    const large = await database.getContent(ITEMS, id, ALICE);
    const empty = await database.getContent(ITEMS, emptyId, ALICE);
    const bytes = new Uint8Array(await new Response(large?.stream).arrayBuffer());

    assert.equal(large?.contentType, "application/x-test");
    assert.equal(bytes.byteLength, size);
    assert.equal(firstMismatch(bytes), -1, "large content differs from what was stored");
    assert.ok(empty, "empty content is missing");
    assert.equal((await new Response(empty.stream).arrayBuffer()).byteLength, 0);
  });
}

/** Creates a desktop object of the suite's type owned by alice, with `fields` applied. */
function item(fields: Record<string, unknown>, type: ObjectType = ItemType): DesktopObject {
  const object = { ...newObject(type), owner: "alice", ...fields } as DesktopObject;

  return completeObject(object, type);
}

function share(user: string, permissions: Permission[]): Share {
  return { ...newObject(ShareType), user, basis: "USER", permissions } as Share;
}

function groupShare(group: string, permissions: Permission[]): Share {
  return { ...newObject(ShareType), group, basis: "GROUP", permissions } as Share;
}

/** Inserts the matrix's fixtures into `collection` and returns their ids by fixture name. */
async function insertFixtures(
  database: Database,
  collection: string,
): Promise<Record<string, string>> {
  const fixtures: Record<string, DesktopObject> = {
    private: item({
      name: "private",
      user_shares: [share("bob", ["VIEWER"]), share("erin", ["EDITOR"])],
      group_shares: [groupShare("/team", ["VIEWER", "DELETER"])],
      super_admin_default_permissions: ["VIEWER"],
    }),
    public: item({
      name: "public",
      owner: "carol",
      user_shares: [share(ALL_USERS, ["VIEWER"])],
      super_admin_default_permissions: [],
    }),
    everyone: item({ name: "everyone", owner: ALL_USERS, super_admin_default_permissions: [] }),
    restricted: item({
      name: "restricted",
      owner: "carol",
      super_admin_default_permissions: ["VIEWER", "EDITOR", "DELETER"],
    }),
  };

  const ids: Record<string, string> = {};
  for (const [fixture, object] of Object.entries(fixtures)) {
    ids[fixture] = await database.insert(collection, object);
  }

  return ids;
}

function allowed(role: string, fixture: string, operation: "V" | "E" | "D"): boolean {
  return MATRIX[role]?.[fixture]?.includes(operation) ?? false;
}

/** Inserts objects whose ranks are 3, missing, 1, null, 2 and missing, in that order. */
async function insertRanks(database: Database): Promise<void> {
  const rows: [string, number | null | undefined][] = [
    ["three", 3],
    ["missing-1", undefined],
    ["one", 1],
    ["null", null],
    ["two", 2],
    ["missing-2", undefined],
  ];
  for (const [name, rank] of rows) {
    const object = item({ name, rank });
    if (rank === undefined) {
      delete object.rank;
    }
    await database.insert(ITEMS, object);
  }
}

/** Inserts objects A, B and C for the filter tests and returns their ids by name. */
async function insertFilterFixtures(database: Database): Promise<Record<string, string>> {
  const rows: Record<string, Record<string, unknown>> = {
    A: {
      label: "a",
      rank: 1,
      category: "x",
      details: { size: 1, color: "red" },
      tags: ["t1", "t2"],
    },
    B: { label: "b", rank: 2, category: "y", details: { size: 2 }, tags: ["t1"] },
    C: { label: "c", rank: 3, category: "x", details: null, tags: [] },
  };

  const ids: Record<string, string> = {};
  for (const [name, fields] of Object.entries(rows)) {
    ids[name] = await database.insert(ITEMS, item({ name, ...fields }));
  }

  return ids;
}

async function names(objects: AsyncIterable<DesktopObject>): Promise<string[]> {
  const result: string[] = [];
  for await (const object of objects) {
    result.push(String(object.name));
  }

  return result;
}

function asc(attribute: string): SortKey {
  return { attribute, order: 1 };
}

function desc(attribute: string): SortKey {
  return { attribute, order: -1 };
}

function range(begin: number | undefined, end: number | undefined): GetAllOptions {
  return { ...(begin === undefined ? {} : { begin }), ...(end === undefined ? {} : { end }) };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  assert.fail("expected the operation to fail, but it succeeded");
}

function textStream(text: string): ReadableStream<Uint8Array> {
  return new Blob([text]).stream();
}

/** Streams `size` bytes of a known pattern in pieces of `pieceSize` bytes. */
function patternStream(size: number, pieceSize: number): ReadableStream<Uint8Array> {
  let offset = 0;

  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= size) {
        controller.close();
        return;
      }
      const piece = new Uint8Array(Math.min(pieceSize, size - offset));
      for (let index = 0; index < piece.length; index++) {
        piece[index] = patternByte(offset + index);
      }
      offset += piece.length;
      controller.enqueue(piece);
    },
  });
}

/** Streams 300 KiB, then fails as a client that disconnects does. */
function failingStream(): ReadableStream<Uint8Array> {
  let sent = 0;

  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent < 3) {
        sent++;
        controller.enqueue(new Uint8Array(100 * 1024).fill(7));
      } else {
        controller.error(new Error("client went away"));
      }
    },
  });
}

function patternByte(position: number): number {
  return (position * 31 + (position >> 8)) & 0xff;
}

/** Returns the first position where `bytes` differs from the pattern, or -1. */
function firstMismatch(bytes: Uint8Array): number {
  return bytes.findIndex((value, position) => value !== patternByte(position));
}

async function readText(
  content: Promise<{ stream: ReadableStream<Uint8Array> } | null>,
): Promise<string | null> {
  const resolved = await content;

  return resolved === null ? null : await new Response(resolved.stream).text();
}

function delay(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}
