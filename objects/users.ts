/**
 * HEA's system users and groups.
 *
 * @module
 */

/**
 * The user of a request that carries no `OIDC_CLAIM_sub` header, and the default owner.
 *
 * @example
 * ```ts
 * import { NONE_USER } from "@hea/server/objects";
 * import assert from "node:assert/strict";
 *
 * assert.equal(NONE_USER, "system|none");
 * ```
 */
export const NONE_USER = "system|none";

/**
 * A pseudo-user that stands for every user: a share to it is a share to everyone, and an object it
 * owns is owned by everyone.
 *
 * @example
 * ```ts
 * import { ALL_USERS } from "@hea/server/objects";
 * import assert from "node:assert/strict";
 *
 * assert.equal(ALL_USERS, "system|all");
 * ```
 */
export const ALL_USERS = "system|all";

/**
 * The user that HEA's test suites act as.
 *
 * @example
 * ```ts
 * import { TEST_USER } from "@hea/server/objects";
 * import assert from "node:assert/strict";
 *
 * assert.equal(TEST_USER, "system|test");
 * ```
 */
export const TEST_USER = "system|test";

/**
 * The user that owns the objects a service creates from an external source.
 *
 * @example
 * ```ts
 * import { SOURCE_USER } from "@hea/server/objects";
 * import assert from "node:assert/strict";
 *
 * assert.equal(SOURCE_USER, "system|source");
 * ```
 */
export const SOURCE_USER = "system|source";

/**
 * The user that owns objects mirrored from AWS.
 *
 * @example
 * ```ts
 * import { AWS_USER } from "@hea/server/objects";
 * import assert from "node:assert/strict";
 *
 * assert.equal(AWS_USER, "system|aws");
 * ```
 */
export const AWS_USER = "system|aws";

/**
 * The user that refreshes stored credentials.
 *
 * @example
 * ```ts
 * import { CREDENTIALS_MANAGER_USER } from "@hea/server/objects";
 * import assert from "node:assert/strict";
 *
 * assert.equal(CREDENTIALS_MANAGER_USER, "system|credentialsmanager");
 * ```
 */
export const CREDENTIALS_MANAGER_USER = "system|credentialsmanager";

/**
 * The group whose members receive each object's `super_admin_default_permissions`.
 *
 * @example
 * ```ts
 * import { SUPER_ADMIN_GROUP } from "@hea/server/objects";
 * import assert from "node:assert/strict";
 *
 * assert.equal(SUPER_ADMIN_GROUP, "/*super-admin");
 * ```
 */
export const SUPER_ADMIN_GROUP = "/*super-admin";

/**
 * Returns whether a user id names a system user (`system|...`). System users belong to no group.
 *
 * @example
 * ```ts
 * import { isSystemUser } from "@hea/server/objects";
 * import assert from "node:assert/strict";
 *
 * assert.equal(isSystemUser("system|none"), true);
 * assert.equal(isSystemUser("alice"), false);
 * ```
 */
export function isSystemUser(sub: string): boolean {
  return sub.startsWith("system|");
}

/**
 * Returns whether a group id names an administrative group: HEA reserves the `/*` prefix for them.
 *
 * @example
 * ```ts
 * import { isAdminGroup } from "@hea/server/objects";
 * import assert from "node:assert/strict";
 *
 * assert.equal(isAdminGroup("/*super-admin"), true);
 * assert.equal(isAdminGroup("/research"), false);
 * ```
 */
export function isAdminGroup(group: string): boolean {
  return group.startsWith("/*");
}
