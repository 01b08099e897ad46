/**
 * Micro benchmarks of permission evaluation: the checks that stores run on every row they read and
 * that handlers run on every object they show. Run with
 * `deno bench objects/permission_context_bench.ts`.
 *
 * @module
 */

import { ComponentType, type HeaObject } from "./mod.ts";
import { PermissionContext } from "./permission_context.ts";

const VIEWER_SHARE = {
  type: "heaobject.root.ShareImpl",
  user: "system|all",
  group: "system|none",
  permissions: ["VIEWER"],
  basis: "USER",
};

/** A registry component shared with every user, as the HTTP benchmarks store them. */
const SHARED: HeaObject = {
  type: "heaobject.registry.Component",
  id: "6650f0c2a3b4c5d6e7f80912",
  name: "bench-component",
  owner: "system|none",
  user_shares: [VIEWER_SHARE],
  group_shares: [],
  shares: [VIEWER_SHARE],
  super_admin_default_permissions: ["VIEWER", "EDITOR"],
  dynamic_permission_supported: false,
};

/** An object with ten user shares and ten group shares, the last of which names the caller's group. */
const MANY_SHARES: HeaObject = {
  ...SHARED,
  shares: [
    ...Array.from({ length: 10 }, (_, index) => ({ ...VIEWER_SHARE, user: `user-${index}` })),
    ...Array.from({ length: 10 }, (_, index) => ({
      ...VIEWER_SHARE,
      user: "system|none",
      group: `/group-${index}`,
      basis: "GROUP",
      permissions: ["VIEWER", "EDITOR"],
    })),
  ],
};

const OWNER = new PermissionContext("system|none");
const VIEWER = new PermissionContext("system|test");
const GROUP_MEMBER = new PermissionContext("carol", ["/group-3", "/group-7", "/group-9"]);
const STRANGER = new PermissionContext("mallory");

Deno.bench("getPermissions: owner", { group: "object permissions" }, () => {
  OWNER.getPermissions(SHARED, ComponentType);
});

Deno.bench("getPermissions: viewer through a share to every user", {
  group: "object permissions",
  baseline: true,
}, () => {
  VIEWER.getPermissions(SHARED, ComponentType);
});

Deno.bench("getPermissions: group member, 20 shares", { group: "object permissions" }, () => {
  GROUP_MEMBER.getPermissions(MANY_SHARES, ComponentType);
});

Deno.bench("getPermissions: stranger, 20 shares", { group: "object permissions" }, () => {
  STRANGER.getPermissions(MANY_SHARES, ComponentType);
});

Deno.bench(
  "getAllAttributePermissions: component, viewer",
  { group: "attribute permissions" },
  () => {
    VIEWER.getAllAttributePermissions(SHARED, ComponentType);
  },
);

Deno.bench("getAllAttributePermissions: component, owner", {
  group: "attribute permissions",
  baseline: true,
}, () => {
  OWNER.getAllAttributePermissions(SHARED, ComponentType);
});
