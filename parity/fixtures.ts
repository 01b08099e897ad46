/**
 * The documents that the parity test loads into each service's database before it replays the
 * recorded requests. They are laid out as heaserver 1.72 writes them (every attribute present,
 * `id` and `instance_id` stored as null beside `_id`, computed `shares` stored), so the test also
 * checks that the TypeScript registry reads what the Python one wrote.
 *
 * @module
 */

/** The caller of most requests: the anonymous user, as in HEA's own service tests. */
export const SYSTEM_NONE = "system|none";

/** A second caller, who owns objects that {@linkcode SYSTEM_NONE} may not see or may not change. */
export const SYSTEM_TEST = "system|test";

/** The names of the fixtures that requests refer to. */
export type FixtureName =
  | "registryComponent"
  | "foldersComponent"
  | "privateComponent"
  | "viewOnlyComponent"
  | "environmentProperty"
  | "uploadProperty"
  | "privateProperty"
  | "viewOnlyProperty";

/** Fixture ids by the names that requests use in `{fixture:NAME}` placeholders. */
export const FIXTURE_IDS: Readonly<Record<FixtureName, string>> = {
  registryComponent: "6650f0c2a3b4c5d6e7f80901",
  foldersComponent: "6650f0c2a3b4c5d6e7f80902",
  privateComponent: "6650f0c2a3b4c5d6e7f80903",
  viewOnlyComponent: "6650f0c2a3b4c5d6e7f80904",
  environmentProperty: "6650f0c2a3b4c5d6e7f80911",
  uploadProperty: "6650f0c2a3b4c5d6e7f80912",
  privateProperty: "6650f0c2a3b4c5d6e7f80913",
  viewOnlyProperty: "6650f0c2a3b4c5d6e7f80914",
};

/** A fixture document: `_id` is a hex ObjectId and dates are ISO strings, converted on loading. */
export type FixtureDocument = Readonly<Record<string, unknown>> & { readonly _id: string };

/** The attributes of each fixture document whose values the loader converts to BSON dates. */
export const FIXTURE_DATE_ATTRIBUTES: readonly string[] = ["created", "modified"];

const CREATED = "2026-01-15T10:00:00.000Z";
const MODIFIED = "2026-02-01T08:30:00.000Z";

/** The documents of each collection. */
export const FIXTURES: Readonly<Record<"components" | "properties", readonly FixtureDocument[]>> = {
  components: [
    component(FIXTURE_IDS.registryComponent, {
      name: "heaserver-registry",
      display_name: "Registry",
      description: "Registry of HEA services",
      base_url: "http://heaserver-registry:8080",
      external_base_url: "http://localhost:8080",
      resources: [
        resource("heaobject.registry.Component", "components", "Components"),
        resource("heaobject.registry.Property", "properties", "Properties"),
      ],
      user_shares: [share("system|all", ["VIEWER"])],
    }),
    component(FIXTURE_IDS.foldersComponent, {
      name: "heaserver-folders",
      display_name: "Folders",
      base_url: "http://heaserver-folders:8080",
      external_base_url: "http://localhost:8086",
      resources: [
        resource("heaobject.folder.Folder", "volumes/{volume_id}/folders", "Folders"),
        resource("heaobject.folder.Item", "volumes/{volume_id}/folders/root/items", "Items"),
      ],
      user_shares: [share("system|all", ["VIEWER"])],
      modified: MODIFIED,
    }),
    component(FIXTURE_IDS.privateComponent, {
      name: "heaserver-private",
      display_name: "Private",
      owner: SYSTEM_TEST,
      base_url: "http://heaserver-private:8080",
      external_base_url: "http://localhost:8090",
      resources: [resource("heaobject.private.Secret", "secrets", "Secrets")],
    }),
    component(FIXTURE_IDS.viewOnlyComponent, {
      name: "heaserver-people",
      display_name: "People",
      owner: SYSTEM_TEST,
      base_url: "http://heaserver-people:8080",
      external_base_url: "http://localhost:8087",
      resources: [resource("heaobject.person.Person", "people", "People")],
      user_shares: [share(SYSTEM_NONE, ["VIEWER"])],
    }),
  ],
  properties: [
    property(FIXTURE_IDS.environmentProperty, {
      name: "HEA_ENVIRONMENT",
      display_name: "Environment",
      value: "development",
      user_shares: [share("system|all", ["VIEWER"])],
    }),
    property(FIXTURE_IDS.uploadProperty, {
      name: "MAX_UPLOAD_MB",
      display_name: "Maximum upload size",
      description: "The largest upload in MiB",
      value: "100",
      modified: MODIFIED,
    }),
    property(FIXTURE_IDS.privateProperty, {
      name: "PRIVATE_SETTING",
      display_name: "Private setting",
      owner: SYSTEM_TEST,
      value: "secret",
    }),
    property(FIXTURE_IDS.viewOnlyProperty, {
      name: "SHARED_SETTING",
      display_name: "Shared setting",
      owner: SYSTEM_TEST,
      value: "shared",
      user_shares: [share(SYSTEM_NONE, ["VIEWER"])],
    }),
  ],
};

/** Returns a document with every attribute that heaserver 1.72 writes for a desktop object. */
function desktopObject(
  id: string,
  type: string,
  typeDisplayName: string,
  superAdminDefaultPermissions: readonly string[],
  fields: Record<string, unknown>,
): FixtureDocument {
  const userShares = (fields.user_shares ?? []) as readonly unknown[];

  return {
    _id: id,
    id: null,
    instance_id: null,
    type,
    type_display_name: typeDisplayName,
    description: null,
    description_mime_type: null,
    owner: SYSTEM_NONE,
    created: CREATED,
    modified: null,
    source: null,
    source_detail: null,
    derived_by: null,
    derived_from: [],
    invites: [],
    user_shares: [],
    group_shares: [],
    dynamic_permission_supported: false,
    super_admin_default_permissions: superAdminDefaultPermissions,
    ...fields,
    shares: userShares,
  };
}

function component(id: string, fields: Record<string, unknown>): FixtureDocument {
  return desktopObject(
    id,
    "heaobject.registry.Component",
    "Registry Component",
    ["VIEWER", "EDITOR"],
    fields,
  );
}

function property(id: string, fields: Record<string, unknown>): FixtureDocument {
  return desktopObject(
    id,
    "heaobject.registry.Property",
    "Property",
    ["VIEWER", "EDITOR", "SHARER", "COOWNER", "DELETER"],
    fields,
  );
}

/**
 * Returns a resource whose objects both test callers may create. heaserver looks the resource up
 * before every POST and allows the POST only to the users and groups that it lists as creators.
 */
function resource(typeName: string, basePath: string, collectionName: string) {
  return {
    type: "heaobject.registry.Resource",
    type_display_name: "Resource",
    resource_type_name: typeName,
    resource_collection_type_display_name: collectionName,
    base_path: basePath,
    file_system_name: "DEFAULT_FILE_SYSTEM",
    file_system_type: "heaobject.volume.MongoDBFileSystem",
    manages_creators: false,
    creator_users: [SYSTEM_NONE, SYSTEM_TEST],
    creator_groups: [],
    collection_accessor_users: [],
    collection_accessor_groups: [],
    default_shares: [],
    display_in_system_menu: false,
    display_in_user_menu: false,
    collection_mime_type: "application/x.collection",
  };
}

function share(user: string, permissions: readonly string[]) {
  return {
    type: "heaobject.root.ShareImpl",
    type_display_name: "Share",
    user,
    group: SYSTEM_NONE,
    permissions,
    basis: "USER",
    invite: null,
  };
}
