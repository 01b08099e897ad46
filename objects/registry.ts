/**
 * The registry types: components (the microservices of a HEA deployment and the resource types each
 * serves) and properties (deployment-wide settings).
 *
 * @module
 */

import { attribute } from "./attribute.ts";
import { defineDesktopObjectType, defineObjectType, type ObjectType } from "./object_type.ts";

/**
 * A resource type that a component serves, with the path of its collection.
 *
 * @example Its type name
 * ```ts
 * import { ResourceType } from "@hea/server/objects";
 * import assert from "node:assert/strict";
 *
 * assert.equal(ResourceType.name, "heaobject.registry.Resource");
 * ```
 */
export const ResourceType: ObjectType = defineObjectType({
  name: "heaobject.registry.Resource",
  displayName: "Resource",
  attributes: {
    resource_type_name: attribute.string({ prompt: "Resource type" }),
    base_path: attribute.string({ prompt: "Base path" }),
    resource_collection_type_display_name: attribute.string({
      prompt: "Collection name",
      defaultFrom: "resource_type_name",
    }),
    file_system_name: attribute.string({ default: "DEFAULT_FILE_SYSTEM", nullable: false }),
    file_system_type: attribute.string({
      default: "heaobject.volume.MongoDBFileSystem",
      nullable: false,
    }),
    manages_creators: attribute.boolean(),
    creator_users: attribute.strings(),
    creator_groups: attribute.strings(),
    collection_accessor_users: attribute.strings(),
    collection_accessor_groups: attribute.strings(),
    default_shares: attribute.objects("heaobject.root.ShareImpl"),
    display_in_system_menu: attribute.boolean(),
    display_in_user_menu: attribute.boolean(),
    collection_mime_type: attribute.string({ default: "application/x.collection" }),
  },
});

/**
 * A microservice of a HEA deployment: its distribution name, the URLs it is reached at, and the
 * resource types it serves.
 *
 * @example Its type name
 * ```ts
 * import { ComponentType } from "@hea/server/objects";
 * import assert from "node:assert/strict";
 *
 * assert.equal(ComponentType.name, "heaobject.registry.Component");
 * assert.equal(ComponentType.attributes.resources?.memberType, "heaobject.registry.Resource");
 * ```
 */
export const ComponentType: ObjectType = defineDesktopObjectType({
  name: "heaobject.registry.Component",
  displayName: "Registry Component",
  attributes: {
    base_url: attribute.string({ prompt: "Base URL", format: "url" }),
    external_base_url: attribute.string({ prompt: "External base URL", format: "url" }),
    resources: attribute.objects("heaobject.registry.Resource"),
  },
  superAdminDefaultPermissions: ["VIEWER", "EDITOR"],
});

/**
 * A named, deployment-wide setting.
 *
 * @example Its type name
 * ```ts
 * import { PropertyType } from "@hea/server/objects";
 * import assert from "node:assert/strict";
 *
 * assert.equal(PropertyType.name, "heaobject.registry.Property");
 * ```
 */
export const PropertyType: ObjectType = defineDesktopObjectType({
  name: "heaobject.registry.Property",
  displayName: "Property",
  attributes: {
    value: attribute.string({ prompt: "Value" }),
  },
  superAdminDefaultPermissions: ["VIEWER", "EDITOR", "SHARER", "COOWNER", "DELETER"],
});
