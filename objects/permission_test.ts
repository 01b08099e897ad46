import assert from "node:assert/strict";
import {
  arePermissionsReadOnly,
  DELETER_PERMISSIONS,
  GETTER_PERMISSIONS,
  hasAnyPermission,
  isPermission,
  OWNER_PERMISSIONS,
  type Permission,
  PERMISSIONS,
  permissionsForMethod,
  POSTER_PERMISSIONS,
  PUTTER_PERMISSIONS,
  SHARER_PERMISSIONS,
  sortPermissions,
} from "./permission.ts";

Deno.test("PERMISSIONS lists every permission in declaration order", () => {
  assert.deepEqual([...PERMISSIONS], [
    "VIEWER",
    "EDITOR",
    "SHARER",
    "COOWNER",
    "CREATOR",
    "DELETER",
  ]);
});

Deno.test("permission groups contain HEA's permissions", () => {
  const groups: [string, readonly Permission[], Permission[]][] = [
    ["OWNER", OWNER_PERMISSIONS, ["VIEWER", "EDITOR", "SHARER", "COOWNER", "DELETER"]],
    ["GETTER", GETTER_PERMISSIONS, ["VIEWER", "COOWNER", "EDITOR", "SHARER"]],
    ["PUTTER", PUTTER_PERMISSIONS, ["EDITOR", "COOWNER"]],
    ["POSTER", POSTER_PERMISSIONS, ["CREATOR", "COOWNER"]],
    ["DELETER", DELETER_PERMISSIONS, ["DELETER", "COOWNER"]],
    ["SHARER", SHARER_PERMISSIONS, ["SHARER", "COOWNER"]],
  ];

  for (const [name, group, expected] of groups) {
    assert.deepEqual([...group], expected, `${name}_PERMISSIONS`);
  }
});

Deno.test("permission groups are frozen", () => {
  const groups = [
    PERMISSIONS,
    OWNER_PERMISSIONS,
    GETTER_PERMISSIONS,
    PUTTER_PERMISSIONS,
    POSTER_PERMISSIONS,
    DELETER_PERMISSIONS,
    SHARER_PERMISSIONS,
  ];

  for (const group of groups) {
    assert.equal(Object.isFrozen(group), true, group.join(","));
  }
});

Deno.test("OWNER_PERMISSIONS excludes CREATOR", () => {
  assert.equal(OWNER_PERMISSIONS.includes("CREATOR"), false);
});

Deno.test("isPermission accepts only exact names", () => {
  const cases: [unknown, boolean][] = [
    ["VIEWER", true],
    ["CREATOR", true],
    ["DELETER", true],
    ["viewer", false],
    [" VIEWER", false],
    ["ADMIN", false],
    ["", false],
    [null, false],
    [undefined, false],
    [1, false],
    [["VIEWER"], false],
  ];

  for (const [value, expected] of cases) {
    assert.equal(isPermission(value), expected, JSON.stringify(value));
  }
});

Deno.test("permissionsForMethod maps each verb to its group", () => {
  const cases: [string, readonly Permission[]][] = [
    ["GET", GETTER_PERMISSIONS],
    ["HEAD", GETTER_PERMISSIONS],
    ["PUT", PUTTER_PERMISSIONS],
    ["PATCH", PUTTER_PERMISSIONS],
    ["POST", POSTER_PERMISSIONS],
    ["DELETE", DELETER_PERMISSIONS],
  ];

  for (const [method, expected] of cases) {
    assert.equal(permissionsForMethod(method), expected, method);
  }
});

Deno.test("permissionsForMethod ignores the method's case", () => {
  assert.equal(permissionsForMethod("get"), GETTER_PERMISSIONS);
  assert.equal(permissionsForMethod("Delete"), DELETER_PERMISSIONS);
});

Deno.test("permissionsForMethod rejects an unknown verb", () => {
  for (const method of ["OPTIONS", "TRACE", "CONNECT", ""]) {
    assert.throws(
      () => permissionsForMethod(method),
      (error: unknown) => error instanceof RangeError && error.message.includes(`"${method}"`),
      method,
    );
  }
});

Deno.test("hasAnyPermission needs one shared permission", () => {
  const cases: [Permission[], readonly Permission[], boolean][] = [
    [["VIEWER", "EDITOR"], PUTTER_PERMISSIONS, true],
    [["COOWNER"], DELETER_PERMISSIONS, true],
    [["VIEWER"], PUTTER_PERMISSIONS, false],
    [["CREATOR"], GETTER_PERMISSIONS, false],
    [[], GETTER_PERMISSIONS, false],
    [["VIEWER"], [], false],
  ];

  for (const [held, needed, expected] of cases) {
    assert.equal(hasAnyPermission(held, needed), expected, `${held} vs ${needed}`);
  }
});

Deno.test("arePermissionsReadOnly needs VIEWER without EDITOR or COOWNER", () => {
  const cases: [Permission[], boolean][] = [
    [["VIEWER"], true],
    [["VIEWER", "SHARER"], true],
    [["VIEWER", "DELETER"], true],
    [["VIEWER", "CREATOR"], true],
    [["VIEWER", "EDITOR"], false],
    [["VIEWER", "COOWNER"], false],
    [["EDITOR"], false],
    [["COOWNER"], false],
    [["SHARER"], false],
    [["DELETER"], false],
    [[], false],
    [[...PERMISSIONS], false],
  ];

  for (const [permissions, expected] of cases) {
    assert.equal(arePermissionsReadOnly(permissions), expected, JSON.stringify(permissions));
  }
});

Deno.test("sortPermissions orders canonically and drops duplicates", () => {
  const cases: [Permission[], Permission[]][] = [
    [["DELETER", "VIEWER", "VIEWER"], ["VIEWER", "DELETER"]],
    [["CREATOR", "COOWNER", "SHARER", "EDITOR", "VIEWER"], [
      "VIEWER",
      "EDITOR",
      "SHARER",
      "COOWNER",
      "CREATOR",
    ]],
    [["EDITOR"], ["EDITOR"]],
    [[], []],
  ];

  for (const [input, expected] of cases) {
    assert.deepEqual(sortPermissions(input), expected, JSON.stringify(input));
  }
});

Deno.test("sortPermissions accepts any iterable", () => {
  const held = new Set<Permission>(["SHARER", "VIEWER"]);

  assert.deepEqual(sortPermissions(held), ["VIEWER", "SHARER"]);
  assert.deepEqual(sortPermissions(held.values()), ["VIEWER", "SHARER"]);
});

Deno.test("sortPermissions returns a new mutable list", () => {
  const sorted = sortPermissions(["VIEWER"]);

  assert.notEqual(sorted, PERMISSIONS);
  assert.equal(Object.isFrozen(sorted), false);
});
