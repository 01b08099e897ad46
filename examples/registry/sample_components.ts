/**
 * The sample objects that a new registry starts with, so a first request has something to show.
 *
 * @module
 */

/**
 * The owner of the samples: a system user that no request acts as. Requests without a caller act
 * as `system|none`, so samples it owned would be writable by anyone who sends no identity.
 */
const SAMPLE_OWNER = "system|source";

/** Components of a small HEA deployment, readable by everyone. */
export const SAMPLE_COMPONENTS: readonly Record<string, unknown>[] = [
  component("heaserver-folders", "http://localhost:8086", [
    resource("heaobject.folder.Folder", "folders"),
    resource("heaobject.folder.Item", "items"),
  ]),
  component("heaserver-people", "http://localhost:8087", [
    resource("heaobject.person.Person", "people"),
  ]),
  component("heaserver-volumes", "http://localhost:8088", [
    resource("heaobject.volume.Volume", "volumes"),
  ]),
];

/** Deployment-wide settings. */
export const SAMPLE_PROPERTIES: readonly Record<string, unknown>[] = [
  {
    type: "heaobject.registry.Property",
    name: "HEA_ENVIRONMENT",
    display_name: "Environment",
    value: "development",
    owner: SAMPLE_OWNER,
    user_shares: [everyoneMayView()],
  },
];

function component(
  name: string,
  baseUrl: string,
  resources: Record<string, unknown>[],
): Record<string, unknown> {
  return {
    type: "heaobject.registry.Component",
    name,
    display_name: name,
    base_url: baseUrl,
    external_base_url: baseUrl,
    owner: SAMPLE_OWNER,
    resources,
    user_shares: [everyoneMayView()],
  };
}

function resource(typeName: string, basePath: string): Record<string, unknown> {
  return {
    type: "heaobject.registry.Resource",
    resource_type_name: typeName,
    base_path: basePath,
  };
}

function everyoneMayView(): Record<string, unknown> {
  return {
    type: "heaobject.root.ShareImpl",
    user: "system|all",
    permissions: ["VIEWER"],
  };
}
