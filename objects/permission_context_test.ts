import assert from "node:assert/strict";
import { attribute } from "./attribute.ts";
import {
  defineDesktopObjectType,
  type HeaObject,
  type ObjectType,
  type Share,
} from "./object_type.ts";
import {
  DELETER_PERMISSIONS,
  GETTER_PERMISSIONS,
  OWNER_PERMISSIONS,
  type Permission,
  PERMISSIONS,
  POSTER_PERMISSIONS,
  PUTTER_PERMISSIONS,
} from "./permission.ts";
import { AdminPermissionContext, PermissionContext } from "./permission_context.ts";
import { completeObject, newObject } from "./serialization.ts";
import { ALL_USERS, NONE_USER, SUPER_ADMIN_GROUP } from "./users.ts";

const Note = defineDesktopObjectType({
  name: "example.Note",
  displayName: "Note",
  attributes: { text: attribute.string() },
});

/** Organizations grant their members co-ownership through dynamic permissions. */
const Organization = defineDesktopObjectType({
  name: "example.Organization",
  displayName: "Organization",
  attributes: { member_ids: attribute.strings() },
  dynamicPermission: (object, sub) =>
    (object.member_ids as string[]).includes(sub) ? ["VIEWER", "COOWNER"] : [],
});

const SHARE_ATTRIBUTES = ["owner", "invites", "user_shares", "group_shares"];
const READ_ONLY_ATTRIBUTES = [
  "id",
  "instance_id",
  "shares",
  "created",
  "modified",
  "type",
  "type_display_name",
  "dynamic_permission_supported",
  "super_admin_default_permissions",
];
const VIEWER_EDITOR: Permission[] = ["VIEWER", "EDITOR"];

function userShare(user: string, permissions: Permission[]): Share {
  return { type: "heaobject.root.ShareImpl", user, group: NONE_USER, basis: "USER", permissions };
}

function groupShare(group: string, permissions: Permission[]): Share {
  return { type: "heaobject.root.ShareImpl", user: NONE_USER, group, basis: "GROUP", permissions };
}

/** Builds a stored note owned by alice, recomputing `shares` from the user and group shares. */
function note(attributes: Record<string, unknown> = {}, type: ObjectType = Note): HeaObject {
  return completeObject({ ...newObject(type), id: "1", owner: "alice", ...attributes }, type);
}

interface PermissionCase {
  readonly caller: string;
  readonly context: PermissionContext;
  readonly object: HeaObject;
  readonly permissions: Permission[];
  readonly get: boolean;
  readonly put: boolean;
  readonly post: boolean;
  readonly delete: boolean;
}

const PERMISSION_CASES: PermissionCase[] = [
  {
    caller: "owner",
    context: new PermissionContext("alice"),
    object: note(),
    permissions: [...OWNER_PERMISSIONS],
    get: true,
    put: true,
    post: true,
    delete: true,
  },
  {
    caller: "viewer share",
    context: new PermissionContext("bob"),
    object: note({ user_shares: [userShare("bob", ["VIEWER"])] }),
    permissions: ["VIEWER"],
    get: true,
    put: false,
    post: false,
    delete: false,
  },
  {
    caller: "editor share",
    context: new PermissionContext("bob"),
    object: note({ user_shares: [userShare("bob", ["EDITOR", "VIEWER"])] }),
    permissions: ["VIEWER", "EDITOR"],
    get: true,
    put: true,
    post: false,
    delete: false,
  },
  {
    caller: "sharer share",
    context: new PermissionContext("bob"),
    object: note({ user_shares: [userShare("bob", ["VIEWER", "SHARER"])] }),
    permissions: ["VIEWER", "SHARER"],
    get: true,
    put: false,
    post: false,
    delete: false,
  },
  {
    caller: "deleter share",
    context: new PermissionContext("bob"),
    object: note({ user_shares: [userShare("bob", ["DELETER"])] }),
    permissions: ["DELETER"],
    get: false,
    put: false,
    post: false,
    delete: true,
  },
  {
    caller: "coowner share",
    context: new PermissionContext("bob"),
    object: note({ user_shares: [userShare("bob", ["COOWNER"])] }),
    permissions: ["COOWNER"],
    get: true,
    put: true,
    post: true,
    delete: true,
  },
  {
    caller: "creator share",
    context: new PermissionContext("bob"),
    object: note({ user_shares: [userShare("bob", ["CREATOR"])] }),
    permissions: ["CREATOR"],
    get: false,
    put: false,
    post: true,
    delete: false,
  },
  {
    caller: "share to another user",
    context: new PermissionContext("bob"),
    object: note({ user_shares: [userShare("carol", ["COOWNER"])] }),
    permissions: [],
    get: false,
    put: false,
    post: false,
    delete: false,
  },
  {
    caller: "group member via group share",
    context: new PermissionContext("carol", ["/research"]),
    object: note({ group_shares: [groupShare("/research", ["VIEWER", "EDITOR"])] }),
    permissions: ["VIEWER", "EDITOR"],
    get: true,
    put: true,
    post: false,
    delete: false,
  },
  {
    caller: "non-member of a shared group",
    context: new PermissionContext("carol", ["/sales"]),
    object: note({ group_shares: [groupShare("/research", ["VIEWER", "EDITOR"])] }),
    permissions: [],
    get: false,
    put: false,
    post: false,
    delete: false,
  },
  {
    caller: "user and group shares combined",
    context: new PermissionContext("carol", ["/research"]),
    object: note({
      user_shares: [userShare("carol", ["DELETER"])],
      group_shares: [groupShare("/research", ["VIEWER"])],
    }),
    permissions: ["VIEWER", "DELETER"],
    get: true,
    put: false,
    post: false,
    delete: true,
  },
  {
    caller: "stranger",
    context: new PermissionContext("dave"),
    object: note({ user_shares: [userShare("bob", ["VIEWER"])] }),
    permissions: [],
    get: false,
    put: false,
    post: false,
    delete: false,
  },
  {
    caller: "super admin with default permissions",
    context: new PermissionContext("erin", [SUPER_ADMIN_GROUP]),
    object: note({ super_admin_default_permissions: ["VIEWER", "EDITOR"] }),
    permissions: ["VIEWER", "EDITOR"],
    get: true,
    put: true,
    post: false,
    delete: false,
  },
  {
    caller: "super admin without default permissions",
    context: new PermissionContext("erin", [SUPER_ADMIN_GROUP]),
    object: note({ super_admin_default_permissions: [] }),
    permissions: [],
    get: false,
    put: false,
    post: false,
    delete: false,
  },
  {
    caller: "non-admin with super-admin defaults on the object",
    context: new PermissionContext("dave", ["/research"]),
    object: note({ super_admin_default_permissions: [...OWNER_PERMISSIONS] }),
    permissions: [],
    get: false,
    put: false,
    post: false,
    delete: false,
  },
  {
    caller: "anyone via a system|all share",
    context: new PermissionContext("dave"),
    object: note({ user_shares: [userShare(ALL_USERS, ["VIEWER"])] }),
    permissions: ["VIEWER"],
    get: true,
    put: false,
    post: false,
    delete: false,
  },
  {
    caller: "anyone on an object owned by system|all",
    context: new PermissionContext("dave"),
    object: note({ owner: ALL_USERS }),
    permissions: [...OWNER_PERMISSIONS],
    get: true,
    put: true,
    post: true,
    delete: true,
  },
  {
    caller: "system user claiming a group",
    context: new PermissionContext("system|test", ["/research"]),
    object: note({ group_shares: [groupShare("/research", ["VIEWER"])] }),
    permissions: [],
    get: false,
    put: false,
    post: false,
    delete: false,
  },
  {
    caller: "system user claiming the super-admin group",
    context: new PermissionContext("system|test", [SUPER_ADMIN_GROUP]),
    object: note({ super_admin_default_permissions: ["VIEWER"] }),
    permissions: [],
    get: false,
    put: false,
    post: false,
    delete: false,
  },
];

Deno.test("getPermissions for each caller", () => {
  for (const { caller, context, object, permissions } of PERMISSION_CASES) {
    assert.deepEqual(context.getPermissions(object, Note), permissions, caller);
  }
});

Deno.test("hasAny for each caller and method group", () => {
  for (const testCase of PERMISSION_CASES) {
    const { caller, context, object } = testCase;
    assert.equal(context.hasAny(object, GETTER_PERMISSIONS), testCase.get, `${caller}: GET`);
    assert.equal(context.hasAny(object, PUTTER_PERMISSIONS), testCase.put, `${caller}: PUT`);
    assert.equal(context.hasAny(object, POSTER_PERMISSIONS), testCase.post, `${caller}: POST`);
    assert.equal(
      context.hasAny(object, DELETER_PERMISSIONS),
      testCase.delete,
      `${caller}: DELETE`,
    );
  }
});

Deno.test("getPermissions returns a fresh list in canonical order", () => {
  const context = new PermissionContext("bob");
  const object = note({
    user_shares: [userShare("bob", ["DELETER", "VIEWER"]), userShare("bob", ["VIEWER", "EDITOR"])],
  });

  const permissions = context.getPermissions(object);
  permissions.push("COOWNER");

  assert.deepEqual(permissions.slice(0, 3), ["VIEWER", "EDITOR", "DELETER"]);
  assert.deepEqual(context.getPermissions(object), ["VIEWER", "EDITOR", "DELETER"]);
  assert.deepEqual(new PermissionContext("alice").getPermissions(object), OWNER_PERMISSIONS);
});

Deno.test("getPermissions ignores unknown permission names", () => {
  const share = { ...userShare("bob", []), permissions: ["VIEWER", "ADMIN", 7] };
  const object = note({ user_shares: [share] });

  assert.deepEqual(new PermissionContext("bob").getPermissions(object), ["VIEWER"]);
});

Deno.test("getPermissions falls back to user and group shares", () => {
  const object: HeaObject = {
    type: Note.name,
    owner: "alice",
    user_shares: [userShare("bob", ["VIEWER"])],
    group_shares: [groupShare("/research", ["EDITOR"])],
  };

  assert.deepEqual(new PermissionContext("bob").getPermissions(object), ["VIEWER"]);
  assert.deepEqual(new PermissionContext("carol", ["/research"]).getPermissions(object), [
    "EDITOR",
  ]);
});

Deno.test("PermissionContext drops groups of system users", () => {
  assert.deepEqual(new PermissionContext("system|none", ["/research"]).groups, []);
  assert.deepEqual(new PermissionContext(ALL_USERS, [SUPER_ADMIN_GROUP]).groups, []);
  assert.equal(new PermissionContext("system|test", [SUPER_ADMIN_GROUP]).isSuperAdmin, false);
});

Deno.test("PermissionContext removes duplicate groups", () => {
  const context = new PermissionContext("carol", ["/research", "/research", "/sales"]);

  assert.deepEqual(context.groups, ["/research", "/sales"]);
  assert.equal(Object.isFrozen(context.groups), true);
});

Deno.test("isSuperAdmin needs the super-admin group", () => {
  assert.equal(new PermissionContext("erin", [SUPER_ADMIN_GROUP]).isSuperAdmin, true);
  assert.equal(new PermissionContext("erin", ["/*other-admin"]).isSuperAdmin, false);
  assert.equal(new PermissionContext("erin").isSuperAdmin, false);
});

Deno.test("isOwner accepts the owner and system|all", () => {
  const context = new PermissionContext("alice");

  assert.equal(context.isOwner(note()), true);
  assert.equal(context.isOwner(note({ owner: ALL_USERS })), true);
  assert.equal(context.isOwner(note({ owner: "bob" })), false);
});

Deno.test("shareAppliesToCaller matches user, everyone and groups", () => {
  const context = new PermissionContext("bob", ["/research"]);
  const cases: [string, Share, boolean][] = [
    ["user share to the caller", userShare("bob", ["VIEWER"]), true],
    ["user share to everyone", userShare(ALL_USERS, ["VIEWER"]), true],
    ["user share to another user", userShare("carol", ["VIEWER"]), false],
    ["group share to a caller's group", groupShare("/research", ["VIEWER"]), true],
    ["group share to another group", groupShare("/sales", ["VIEWER"]), false],
    ["group share to system|none", groupShare(NONE_USER, ["VIEWER"]), false],
  ];

  for (const [name, share, expected] of cases) {
    assert.equal(context.shareAppliesToCaller(share), expected, name);
  }
});

Deno.test("getPermissions adds dynamic permissions when supported", () => {
  const supported = note({ member_ids: ["bob"], dynamic_permission_supported: true }, Organization);
  const member = new PermissionContext("bob");

  assert.deepEqual(member.getPermissions(supported, Organization), ["VIEWER", "COOWNER"]);
  assert.deepEqual(new PermissionContext("dave").getPermissions(supported, Organization), []);
});

Deno.test("getPermissions ignores dynamic permissions when unsupported", () => {
  const unsupported = note(
    { member_ids: ["bob"], dynamic_permission_supported: false },
    Organization,
  );
  const supported = note({ member_ids: ["bob"], dynamic_permission_supported: true }, Organization);
  const member = new PermissionContext("bob");

  assert.deepEqual(member.getPermissions(unsupported, Organization), []);
  assert.deepEqual(member.getPermissions(supported), [], "no type given");
});

Deno.test("getPermissions unions dynamic permissions with shares", () => {
  const object = note({
    member_ids: ["bob"],
    dynamic_permission_supported: true,
    user_shares: [userShare("bob", ["DELETER"])],
  }, Organization);

  assert.deepEqual(new PermissionContext("bob").getPermissions(object, Organization), [
    "VIEWER",
    "COOWNER",
    "DELETER",
  ]);
});

interface AttributeCase {
  readonly caller: string;
  readonly context: PermissionContext;
  readonly object: HeaObject;
  readonly type?: ObjectType;
  /** Expected permissions by attribute name. Attributes not listed are not checked. */
  readonly expected: Record<string, Permission[]>;
}

const ATTRIBUTE_CASES: AttributeCase[] = [
  {
    caller: "owner",
    context: new PermissionContext("alice"),
    object: note(),
    expected: {
      text: VIEWER_EDITOR,
      name: VIEWER_EDITOR,
      owner: VIEWER_EDITOR,
      user_shares: VIEWER_EDITOR,
      group_shares: VIEWER_EDITOR,
      invites: VIEWER_EDITOR,
    },
  },
  {
    caller: "viewer share",
    context: new PermissionContext("bob"),
    object: note({ user_shares: [userShare("bob", ["VIEWER"])] }),
    expected: {
      text: ["VIEWER"],
      owner: ["VIEWER"],
      user_shares: ["VIEWER"],
      invites: ["VIEWER"],
    },
  },
  {
    caller: "editor share",
    context: new PermissionContext("bob"),
    object: note({ user_shares: [userShare("bob", ["VIEWER", "EDITOR"])] }),
    expected: {
      text: VIEWER_EDITOR,
      owner: ["VIEWER"],
      user_shares: ["VIEWER"],
      group_shares: ["VIEWER"],
      invites: ["VIEWER"],
    },
  },
  {
    caller: "sharer share",
    context: new PermissionContext("bob"),
    object: note({ user_shares: [userShare("bob", ["VIEWER", "SHARER"])] }),
    expected: {
      text: ["VIEWER"],
      owner: ["VIEWER"],
      user_shares: VIEWER_EDITOR,
      group_shares: VIEWER_EDITOR,
      invites: VIEWER_EDITOR,
    },
  },
  {
    caller: "coowner share",
    context: new PermissionContext("bob"),
    object: note({ user_shares: [userShare("bob", ["COOWNER"])] }),
    expected: {
      text: VIEWER_EDITOR,
      owner: ["VIEWER"],
      user_shares: VIEWER_EDITOR,
      invites: VIEWER_EDITOR,
    },
  },
  {
    caller: "deleter share",
    context: new PermissionContext("bob"),
    object: note({ user_shares: [userShare("bob", ["DELETER"])] }),
    expected: { text: [], owner: [], user_shares: [], id: [] },
  },
  {
    caller: "group member via group share",
    context: new PermissionContext("carol", ["/research"]),
    object: note({ group_shares: [groupShare("/research", ["VIEWER", "COOWNER"])] }),
    expected: {
      text: VIEWER_EDITOR,
      owner: ["VIEWER"],
      group_shares: VIEWER_EDITOR,
    },
  },
  {
    caller: "stranger",
    context: new PermissionContext("dave"),
    object: note(),
    expected: { text: [], owner: [], id: [], user_shares: [] },
  },
  {
    caller: "super admin with VIEWER and EDITOR defaults",
    context: new PermissionContext("erin", [SUPER_ADMIN_GROUP]),
    object: note({ super_admin_default_permissions: ["VIEWER", "EDITOR"] }),
    expected: {
      text: VIEWER_EDITOR,
      owner: VIEWER_EDITOR,
      user_shares: ["VIEWER"],
      id: ["VIEWER"],
    },
  },
  {
    caller: "super admin with every default",
    context: new PermissionContext("erin", [SUPER_ADMIN_GROUP]),
    object: note({ super_admin_default_permissions: [...OWNER_PERMISSIONS] }),
    expected: {
      text: VIEWER_EDITOR,
      owner: VIEWER_EDITOR,
      user_shares: VIEWER_EDITOR,
      invites: VIEWER_EDITOR,
    },
  },
  {
    caller: "super admin without defaults",
    context: new PermissionContext("erin", [SUPER_ADMIN_GROUP]),
    object: note({ super_admin_default_permissions: [] }),
    expected: { text: [], owner: [] },
  },
  {
    caller: "anyone via a system|all coowner share",
    context: new PermissionContext("dave"),
    object: note({ user_shares: [userShare(ALL_USERS, ["COOWNER"])] }),
    expected: {
      text: VIEWER_EDITOR,
      owner: ["VIEWER"],
      user_shares: VIEWER_EDITOR,
    },
  },
  {
    caller: "anyone on an object owned by system|all",
    context: new PermissionContext("dave"),
    object: note({ owner: ALL_USERS }),
    expected: {
      text: VIEWER_EDITOR,
      owner: ["VIEWER"],
      invites: ["VIEWER"],
      user_shares: ["VIEWER"],
      group_shares: ["VIEWER"],
    },
  },
  {
    caller: "member with dynamic permissions only",
    context: new PermissionContext("bob"),
    type: Organization,
    object: note({ member_ids: ["bob"], dynamic_permission_supported: true }, Organization),
    expected: {
      member_ids: VIEWER_EDITOR,
      name: VIEWER_EDITOR,
      owner: ["VIEWER"],
      invites: ["VIEWER"],
      user_shares: ["VIEWER"],
      group_shares: ["VIEWER"],
    },
  },
  {
    caller: "member with dynamic permissions and a share",
    context: new PermissionContext("bob"),
    type: Organization,
    object: note({
      member_ids: ["bob"],
      dynamic_permission_supported: true,
      user_shares: [userShare("bob", ["VIEWER"])],
    }, Organization),
    expected: {
      member_ids: VIEWER_EDITOR,
      owner: ["VIEWER"],
      invites: VIEWER_EDITOR,
      user_shares: VIEWER_EDITOR,
      group_shares: VIEWER_EDITOR,
    },
  },
];

Deno.test("getAttributePermissions for each caller", () => {
  for (const { caller, context, object, type = Note, expected } of ATTRIBUTE_CASES) {
    for (const [name, permissions] of Object.entries(expected)) {
      assert.deepEqual(
        context.getAttributePermissions(object, type, name),
        permissions,
        `${caller}: ${name}`,
      );
    }
  }
});

Deno.test("getAttributePermissions makes read-only attributes VIEWER", () => {
  const callers: [string, PermissionContext, HeaObject][] = [
    ["owner", new PermissionContext("alice"), note()],
    [
      "coowner share",
      new PermissionContext("bob"),
      note({ user_shares: [userShare("bob", ["COOWNER"])] }),
    ],
    [
      "super admin",
      new PermissionContext("erin", [SUPER_ADMIN_GROUP]),
      note({ super_admin_default_permissions: [...OWNER_PERMISSIONS] }),
    ],
  ];

  for (const [caller, context, object] of callers) {
    for (const name of READ_ONLY_ATTRIBUTES) {
      assert.deepEqual(
        context.getAttributePermissions(object, Note, name),
        ["VIEWER"],
        `${caller}: ${name}`,
      );
    }
  }
});

Deno.test("getAttributePermissions returns nothing for an unknown attribute", () => {
  const context = new PermissionContext("alice");

  assert.deepEqual(context.getAttributePermissions(note(), Note, "missing"), []);
});

Deno.test("getAttributePermissions uses given object permissions", () => {
  const context = new PermissionContext("bob");
  const object = note({ user_shares: [userShare("bob", ["VIEWER"])] });

  assert.deepEqual(
    context.getAttributePermissions(object, Note, "text", ["VIEWER", "EDITOR"]),
    VIEWER_EDITOR,
  );
  assert.deepEqual(context.getAttributePermissions(object, Note, "text", []), []);
});

Deno.test("getAllAttributePermissions covers every attribute", () => {
  const context = new PermissionContext("bob");
  const object = note({ user_shares: [userShare("bob", ["VIEWER", "EDITOR"])] });

  const all = context.getAllAttributePermissions(object, Note);

  assert.deepEqual(Object.keys(all), Object.keys(Note.attributes));
  for (const name of Object.keys(Note.attributes)) {
    assert.deepEqual(all[name], context.getAttributePermissions(object, Note, name), name);
  }
});

Deno.test("protectedAttributes of an owner are the read-only ones", () => {
  const protectedNames = new PermissionContext("alice").protectedAttributes(note(), Note);

  assert.deepEqual([...protectedNames].sort(), [...READ_ONLY_ATTRIBUTES].sort());
});

Deno.test("protectedAttributes of an editor include share attributes", () => {
  const object = note({ user_shares: [userShare("bob", ["VIEWER", "EDITOR"])] });

  const protectedNames = new PermissionContext("bob").protectedAttributes(object, Note);

  assert.deepEqual(
    [...protectedNames].sort(),
    [...READ_ONLY_ATTRIBUTES, ...SHARE_ATTRIBUTES].sort(),
  );
  assert.equal(protectedNames.has("text"), false);
  assert.equal(protectedNames.has("name"), false);
});

Deno.test("protectedAttributes of a sharer include plain attributes", () => {
  const object = note({ user_shares: [userShare("bob", ["VIEWER", "SHARER"])] });

  const protectedNames = new PermissionContext("bob").protectedAttributes(object, Note);

  assert.equal(protectedNames.has("text"), true);
  assert.equal(protectedNames.has("owner"), true);
  assert.equal(protectedNames.has("user_shares"), false);
  assert.equal(protectedNames.has("group_shares"), false);
  assert.equal(protectedNames.has("invites"), false);
});

Deno.test("protectedAttributes of a stranger include every attribute", () => {
  const protectedNames = new PermissionContext("dave").protectedAttributes(note(), Note);

  assert.deepEqual([...protectedNames].sort(), Object.keys(Note.attributes).sort());
});

Deno.test("protectedAttributes applies dynamic permissions of the type", () => {
  const object = note({ member_ids: ["bob"], dynamic_permission_supported: true }, Organization);

  const protectedNames = new PermissionContext("bob").protectedAttributes(object, Organization);

  assert.equal(protectedNames.has("member_ids"), false);
  assert.equal(protectedNames.has("owner"), true);
  assert.equal(protectedNames.has("user_shares"), true);
});

Deno.test("bypassesChecks is false for PermissionContext", () => {
  assert.equal(new PermissionContext("alice").bypassesChecks, false);
  assert.equal(new PermissionContext("erin", [SUPER_ADMIN_GROUP]).bypassesChecks, false);
});

Deno.test("AdminPermissionContext bypasses checks", () => {
  const admin = new AdminPermissionContext();

  assert.equal(admin.bypassesChecks, true);
  assert.equal(admin instanceof PermissionContext, true);
});

Deno.test("AdminPermissionContext acts as system|none by default", () => {
  assert.equal(new AdminPermissionContext().sub, NONE_USER);
  assert.equal(new AdminPermissionContext("system|aws").sub, "system|aws");
  assert.deepEqual(new AdminPermissionContext().groups, []);
});

Deno.test("AdminPermissionContext holds every permission", () => {
  const admin = new AdminPermissionContext();
  const objects = [
    note(),
    note({ super_admin_default_permissions: [] }),
    { type: "x.Y", owner: "alice" },
  ];

  for (const object of objects) {
    assert.deepEqual(admin.getPermissions(object), [...PERMISSIONS], JSON.stringify(object));
    assert.equal(admin.hasAny(object, POSTER_PERMISSIONS), true);
  }
});
