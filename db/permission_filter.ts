/**
 * The permission filter as a MongoDB query, shared by every store so that a listing never loads an
 * object the caller may not see.
 *
 * @module
 */

import { ALL_USERS, type Permission, type PermissionContext } from "../objects/mod.ts";
import type { Filter } from "./database.ts";

/**
 * Returns a MongoDB query that matches the objects on which the caller holds at least one of
 * `needed`: those it owns (or everyone owns), those shared with it, with `system|all` or with one of
 * its groups with one of `needed`, those whose super-admin defaults include one of `needed` when the
 * caller is a super admin, and those whose type computes permissions dynamically (stores check
 * those in code). Returns `{}` for contexts that bypass checks.
 *
 * @example The filter for a viewer
 * ```ts
 * import { permissionFilter } from "@hea/server/db";
 * import { PermissionContext } from "@hea/server/objects";
 * import assert from "node:assert/strict";
 *
 * const filter = permissionFilter(new PermissionContext("alice"), ["VIEWER"]);
 * assert.ok(Array.isArray(filter.$or));
 * ```
 */
export function permissionFilter(
  context: PermissionContext,
  needed: readonly Permission[],
): Filter {
  if (context.bypassesChecks) {
    return {};
  }

  const principals: Filter[] = [{ user: { $in: [context.sub, ALL_USERS] } }];
  if (context.groups.length > 0) {
    principals.push({ group: { $in: [...context.groups] } });
  }
  const branches: Filter[] = [
    { owner: { $in: [context.sub, ALL_USERS] } },
    {
      shares: {
        $elemMatch: { $or: principals, permissions: { $elemMatch: { $in: [...needed] } } },
      },
    },
    { dynamic_permission_supported: true },
  ];
  if (context.isSuperAdmin) {
    branches.push({ super_admin_default_permissions: { $elemMatch: { $in: [...needed] } } });
  }

  return { $or: branches };
}

/**
 * Combines query filters so that an object must match all of them; empty filters are dropped.
 *
 * @example
 * ```ts
 * import { andFilters } from "@hea/server/db";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(andFilters({ a: 1 }, {}), { a: 1 });
 * assert.deepEqual(andFilters({ a: 1 }, { b: 2 }), { $and: [{ a: 1 }, { b: 2 }] });
 * ```
 */
export function andFilters(...filters: readonly Filter[]): Filter {
  const present = filters.filter((filter) => Object.keys(filter).length > 0);
  if (present.length === 0) {
    return {};
  }
  if (present.length === 1) {
    return present[0] as Filter;
  }

  return { $and: present };
}
