/**
 * The recorded requests that the parity test replays, in order, against the Python registry and
 * examples/registry. Later requests read what earlier ones wrote, so the order matters.
 *
 * A path or body may contain placeholders, which the replay resolves for each service on its own.
 * `{fixture:NAME}` is the id of a fixture from `FIXTURE_IDS`. `{created:KEY}` is the id at the end
 * of the `Location` that the earlier request with `capture: KEY` received.
 *
 * @module
 */

import { SYSTEM_NONE, SYSTEM_TEST } from "./fixtures.ts";

/** One request of the recorded set. */
export interface RecordedRequest {
  /** A unique name, shown in the test's steps and named by allowances. */
  readonly name: string;
  /** The HTTP method. */
  readonly method: "GET" | "POST" | "PUT" | "DELETE" | "OPTIONS";
  /** The path and query, with placeholders. */
  readonly path: string;
  /**
   * The `OIDC_CLAIM_sub` header, {@linkcode SYSTEM_NONE} when absent. `null` sends none, as for a
   * request that no gateway authenticated.
   */
  readonly sub?: string | null;
  /** The `Accept` header, not sent when absent. */
  readonly accept?: string;
  /** The `Content-Type` header, not sent when absent. */
  readonly contentType?: string;
  /** The body, with placeholders. */
  readonly body?: string;
  /** The key under which the id at the end of the response's `Location` is kept. */
  readonly capture?: string;
}

/** The media types of the three representors and of HTML forms. */
export const MEDIA_TYPES = {
  cj: "application/vnd.collection+json",
  wstl: "application/vnd.wstl+json",
  json: "application/json",
  form: "application/x-www-form-urlencoded",
} as const;

const PROPERTY = "heaobject.registry.Property";
const COMPONENT = "heaobject.registry.Component";
const RESOURCE = "heaobject.registry.Resource";

/** GETs of one path in each representor. */
function inEachRepresentor(
  name: string,
  path: string,
  sub?: string,
): RecordedRequest[] {
  return (["cj", "wstl", "json"] as const).map((format) => ({
    name: `${name} as ${format}`,
    method: "GET",
    path,
    accept: MEDIA_TYPES[format],
    ...(sub === undefined ? {} : { sub }),
  }));
}

function template(rows: readonly Record<string, unknown>[]): string {
  return JSON.stringify({ template: { data: rows } });
}

/** Reads of the fixtures, before any request writes. */
const READS: readonly RecordedRequest[] = [
  ...inEachRepresentor("get component", "/components/{fixture:registryComponent}"),
  ...inEachRepresentor("get component by name", "/components/byname/heaserver-folders"),
  ...inEachRepresentor("get all components", "/components"),
  ...inEachRepresentor("get all components as system|test", "/components/", SYSTEM_TEST),
  ...inEachRepresentor("get component by type", "/components/bytype/heaobject.folder.Folder"),
  ...inEachRepresentor("get property", "/properties/{fixture:uploadProperty}"),
  ...inEachRepresentor("get property by name", "/properties/byname/HEA_ENVIRONMENT"),
  ...inEachRepresentor("get all properties", "/properties"),
  ...inEachRepresentor("get shared property", "/properties/{fixture:viewOnlyProperty}"),
  ...inEachRepresentor(
    "get own property as system|test",
    "/properties/{fixture:privateProperty}",
    SYSTEM_TEST,
  ),
  {
    name: "get all properties sorted descending",
    method: "GET",
    path: "/properties/?sort=desc&sort_attr=name",
    accept: MEDIA_TYPES.json,
  },
  {
    name: "get property without Accept",
    method: "GET",
    path: "/properties/{fixture:uploadProperty}",
  },
  {
    name: "get property with weighted Accept",
    method: "GET",
    path: "/properties/{fixture:uploadProperty}",
    accept: `${MEDIA_TYPES.json};q=0.5, ${MEDIA_TYPES.wstl}`,
  },
  {
    name: "get all properties without a caller",
    method: "GET",
    path: "/properties",
    sub: null,
    accept: MEDIA_TYPES.json,
  },
  {
    name: "get component by type without a caller",
    method: "GET",
    path: "/components/bytype/heaobject.registry.Property",
    sub: null,
    accept: MEDIA_TYPES.json,
  },
  ...inEachRepresentor("get component opener", "/components/{fixture:foldersComponent}/opener"),
  {
    name: "get property opener",
    method: "GET",
    path: "/properties/{fixture:uploadProperty}/opener",
    accept: MEDIA_TYPES.cj,
  },
  { name: "get components ping", method: "GET", path: "/componentsping" },
];

/** Reads that must fail. */
const READ_ERRORS: readonly RecordedRequest[] = [
  {
    name: "get property with unknown id",
    method: "GET",
    path: "/properties/6650f0c2a3b4c5d6e7f809ff",
    accept: MEDIA_TYPES.json,
  },
  {
    name: "get property with unparsable id",
    method: "GET",
    path: "/properties/not-an-object-id",
    accept: MEDIA_TYPES.json,
  },
  {
    name: "get component with unparsable id",
    method: "GET",
    path: "/components/42",
    accept: MEDIA_TYPES.cj,
  },
  {
    name: "get private property of another user",
    method: "GET",
    path: "/properties/{fixture:privateProperty}",
    accept: MEDIA_TYPES.json,
  },
  {
    name: "get private component of another user",
    method: "GET",
    path: "/components/{fixture:privateComponent}",
    accept: MEDIA_TYPES.json,
  },
  {
    name: "get property by unknown name",
    method: "GET",
    path: "/properties/byname/NO_SUCH_PROPERTY",
    accept: MEDIA_TYPES.json,
  },
  {
    name: "get private property by name",
    method: "GET",
    path: "/properties/byname/PRIVATE_SETTING",
    accept: MEDIA_TYPES.json,
  },
  {
    name: "get component by unserved type",
    method: "GET",
    path: "/components/bytype/heaobject.nothing.Nothing",
    accept: MEDIA_TYPES.json,
  },
  {
    name: "get component by type of private component",
    method: "GET",
    path: "/components/bytype/heaobject.private.Secret",
    accept: MEDIA_TYPES.json,
  },
  {
    name: "get opener of unknown component",
    method: "GET",
    path: "/components/6650f0c2a3b4c5d6e7f809ff/opener",
    accept: MEDIA_TYPES.cj,
  },
  {
    name: "get property with unacceptable Accept",
    method: "GET",
    path: "/properties/{fixture:uploadProperty}",
    accept: "text/html",
  },
  {
    name: "get all components with unacceptable Accept",
    method: "GET",
    path: "/components",
    accept: "application/xml",
  },
  { name: "get unknown path", method: "GET", path: "/nothing-here", accept: MEDIA_TYPES.json },
];

/** Writes that succeed, each followed by reads of what it wrote. */
const WRITES: readonly RecordedRequest[] = [
  {
    name: "post property as json",
    method: "POST",
    path: "/properties",
    contentType: MEDIA_TYPES.json,
    body: JSON.stringify({ type: PROPERTY, name: "JSON_PROPERTY", value: "from json" }),
    capture: "jsonProperty",
  },
  ...inEachRepresentor("get property posted as json", "/properties/{created:jsonProperty}"),
  {
    name: "post property as form",
    method: "POST",
    path: "/properties/",
    contentType: MEDIA_TYPES.form,
    body: `type=${PROPERTY}&name=FORM_PROPERTY&display_name=Form+property&value=from+a+form`,
    capture: "formProperty",
  },
  {
    name: "get property posted as form",
    method: "GET",
    path: "/properties/{created:formProperty}",
    accept: MEDIA_TYPES.json,
  },
  {
    name: "post property as template",
    method: "POST",
    path: "/properties",
    contentType: MEDIA_TYPES.cj,
    body: template([
      { name: "type", value: PROPERTY },
      { name: "name", value: "TEMPLATE_PROPERTY" },
      { name: "display_name", value: "Template property" },
      { name: "description", value: "Posted as a Collection+JSON template" },
      { name: "value", value: "from a template" },
    ]),
    capture: "templateProperty",
  },
  {
    name: "get property posted as template",
    method: "GET",
    path: "/properties/{created:templateProperty}",
    accept: MEDIA_TYPES.json,
  },
  {
    name: "post component as json",
    method: "POST",
    path: "/components",
    contentType: MEDIA_TYPES.json,
    body: JSON.stringify({
      type: COMPONENT,
      name: "heaserver-json",
      display_name: "From JSON",
      base_url: "http://heaserver-json:8080",
      external_base_url: "http://localhost:8099",
      resources: [{
        type: RESOURCE,
        resource_type_name: "heaobject.json.Thing",
        base_path: "things",
      }],
    }),
    capture: "jsonComponent",
  },
  ...inEachRepresentor("get component posted as json", "/components/{created:jsonComponent}"),
  {
    name: "post component as template",
    method: "POST",
    path: "/components/",
    contentType: MEDIA_TYPES.cj,
    body: template([
      { name: "type", value: COMPONENT },
      { name: "name", value: "heaserver-template" },
      { name: "display_name", value: "From a template" },
      { name: "base_url", value: "http://heaserver-template:8080" },
      { name: "external_base_url", value: "http://localhost:8098" },
      { section: "resources", index: 0, name: "type", value: RESOURCE },
      { section: "resources", index: 0, name: "resource_type_name", value: "heaobject.cj.Thing" },
      { section: "resources", index: 0, name: "base_path", value: "cjthings" },
      { section: "resources", index: 1, name: "type", value: RESOURCE },
      { section: "resources", index: 1, name: "resource_type_name", value: "heaobject.cj.Other" },
      { section: "resources", index: 1, name: "base_path", value: "others" },
    ]),
    capture: "templateComponent",
  },
  {
    name: "get component posted as template",
    method: "GET",
    path: "/components/{created:templateComponent}",
    accept: MEDIA_TYPES.json,
  },
  {
    name: "get all properties after posts",
    method: "GET",
    path: "/properties",
    accept: MEDIA_TYPES.json,
  },
  {
    name: "put property as json",
    method: "PUT",
    path: "/properties/{created:jsonProperty}",
    contentType: MEDIA_TYPES.json,
    body: JSON.stringify({
      id: "{created:jsonProperty}",
      type: PROPERTY,
      name: "JSON_PROPERTY",
      display_name: "Changed by PUT",
      description: "Replaced as JSON",
      value: "changed",
      owner: SYSTEM_NONE,
    }),
  },
  {
    name: "get property put as json",
    method: "GET",
    path: "/properties/{created:jsonProperty}",
    accept: MEDIA_TYPES.json,
  },
  {
    name: "put property as template",
    method: "PUT",
    path: "/properties/{created:templateProperty}",
    contentType: MEDIA_TYPES.cj,
    body: template([
      { name: "id", value: "{created:templateProperty}" },
      { name: "type", value: PROPERTY },
      { name: "name", value: "TEMPLATE_PROPERTY" },
      { name: "display_name", value: "Template property, changed" },
      { name: "description", value: "Posted as a Collection+JSON template" },
      { name: "value", value: "changed by a template" },
      { name: "owner", value: SYSTEM_NONE },
    ]),
  },
  {
    name: "get property put as template",
    method: "GET",
    path: "/properties/{created:templateProperty}",
    accept: MEDIA_TYPES.cj,
  },
  {
    name: "put property as form",
    method: "PUT",
    path: "/properties/{created:formProperty}",
    contentType: MEDIA_TYPES.form,
    body:
      `id={created:formProperty}&type=${PROPERTY}&name=FORM_PROPERTY&display_name=Form+property&value=changed+by+a+form&owner=system%7Cnone`,
  },
  {
    name: "get property put as form",
    method: "GET",
    path: "/properties/{created:formProperty}",
    accept: MEDIA_TYPES.json,
  },
  {
    name: "put property with partial body",
    method: "PUT",
    path: "/properties/{created:formProperty}",
    contentType: MEDIA_TYPES.json,
    body: JSON.stringify({
      id: "{created:formProperty}",
      type: PROPERTY,
      name: "FORM_PROPERTY",
      value: "partly changed",
    }),
  },
  {
    name: "get property put with partial body",
    method: "GET",
    path: "/properties/{created:formProperty}",
    accept: MEDIA_TYPES.json,
  },
  {
    name: "put component as json",
    method: "PUT",
    path: "/components/{created:jsonComponent}",
    contentType: MEDIA_TYPES.json,
    body: JSON.stringify({
      id: "{created:jsonComponent}",
      type: COMPONENT,
      name: "heaserver-json",
      display_name: "From JSON, changed",
      base_url: "http://heaserver-json:8081",
      external_base_url: "http://localhost:8099",
      owner: SYSTEM_NONE,
      resources: [
        { type: RESOURCE, resource_type_name: "heaobject.json.Thing", base_path: "things" },
        { type: RESOURCE, resource_type_name: "heaobject.json.Other", base_path: "others" },
      ],
    }),
  },
  {
    name: "get component put as json",
    method: "GET",
    path: "/components/{created:jsonComponent}",
    accept: MEDIA_TYPES.json,
  },
  { name: "delete property", method: "DELETE", path: "/properties/{created:templateProperty}" },
  {
    name: "get deleted property",
    method: "GET",
    path: "/properties/{created:templateProperty}",
    accept: MEDIA_TYPES.json,
  },
  { name: "delete component", method: "DELETE", path: "/components/{created:templateComponent}" },
];

/** Writes that must fail. */
const WRITE_ERRORS: readonly RecordedRequest[] = [
  {
    name: "post property without type",
    method: "POST",
    path: "/properties",
    contentType: MEDIA_TYPES.json,
    body: JSON.stringify({ name: "NO_TYPE", value: "x" }),
  },
  {
    name: "post property with unknown type",
    method: "POST",
    path: "/properties",
    contentType: MEDIA_TYPES.json,
    body: JSON.stringify({ type: "heaobject.nothing.Nothing", name: "UNKNOWN_TYPE" }),
  },
  {
    name: "post component to properties",
    method: "POST",
    path: "/properties",
    contentType: MEDIA_TYPES.json,
    body: JSON.stringify({ type: COMPONENT, name: "MISMATCHED_TYPE" }),
  },
  {
    name: "post form without type",
    method: "POST",
    path: "/properties",
    contentType: MEDIA_TYPES.form,
    body: "name=FORM_WITHOUT_TYPE&value=x",
  },
  {
    name: "post template without type",
    method: "POST",
    path: "/components",
    contentType: MEDIA_TYPES.cj,
    body: template([{ name: "name", value: "heaserver-no-type" }]),
  },
  {
    name: "post bad json",
    method: "POST",
    path: "/properties",
    contentType: MEDIA_TYPES.json,
    body: '{"type": "heaobject.registry.Property", "name": ',
  },
  {
    name: "post json that is not a template",
    method: "POST",
    path: "/properties",
    contentType: MEDIA_TYPES.cj,
    body: JSON.stringify({ type: PROPERTY, name: "NOT_A_TEMPLATE" }),
  },
  {
    name: "post empty body",
    method: "POST",
    path: "/properties",
    contentType: MEDIA_TYPES.json,
    body: "",
  },
  {
    name: "post duplicate property name",
    method: "POST",
    path: "/properties",
    contentType: MEDIA_TYPES.json,
    body: JSON.stringify({ type: PROPERTY, name: "HEA_ENVIRONMENT", value: "again" }),
  },
  {
    name: "post duplicate component name",
    method: "POST",
    path: "/components",
    contentType: MEDIA_TYPES.json,
    body: JSON.stringify({ type: COMPONENT, name: "heaserver-registry" }),
  },
  {
    name: "post property owned by another user",
    method: "POST",
    path: "/properties",
    contentType: MEDIA_TYPES.json,
    body: JSON.stringify({ type: PROPERTY, name: "OWNED_BY_OTHER", owner: SYSTEM_TEST }),
  },
  {
    name: "put property with unknown id",
    method: "PUT",
    path: "/properties/6650f0c2a3b4c5d6e7f809ff",
    contentType: MEDIA_TYPES.json,
    body: JSON.stringify({ id: "6650f0c2a3b4c5d6e7f809ff", type: PROPERTY, name: "UNKNOWN_ID" }),
  },
  {
    name: "put property with unparsable id",
    method: "PUT",
    path: "/properties/not-an-object-id",
    contentType: MEDIA_TYPES.json,
    body: JSON.stringify({ id: "not-an-object-id", type: PROPERTY, name: "UNPARSABLE_ID" }),
  },
  {
    name: "put property with mismatched id",
    method: "PUT",
    path: "/properties/{created:jsonProperty}",
    contentType: MEDIA_TYPES.json,
    body: JSON.stringify({ id: "{fixture:uploadProperty}", type: PROPERTY, name: "JSON_PROPERTY" }),
  },
  {
    name: "put property without type",
    method: "PUT",
    path: "/properties/{created:jsonProperty}",
    contentType: MEDIA_TYPES.json,
    body: JSON.stringify({ id: "{created:jsonProperty}", name: "JSON_PROPERTY" }),
  },
  {
    name: "put component to properties",
    method: "PUT",
    path: "/properties/{created:jsonProperty}",
    contentType: MEDIA_TYPES.json,
    body: JSON.stringify({ id: "{created:jsonProperty}", type: COMPONENT, name: "JSON_PROPERTY" }),
  },
  {
    name: "put bad json",
    method: "PUT",
    path: "/properties/{created:jsonProperty}",
    contentType: MEDIA_TYPES.json,
    body: "{not json",
  },
  {
    name: "put duplicate property name",
    method: "PUT",
    path: "/properties/{created:jsonProperty}",
    contentType: MEDIA_TYPES.json,
    body: JSON.stringify({
      id: "{created:jsonProperty}",
      type: PROPERTY,
      name: "MAX_UPLOAD_MB",
      owner: SYSTEM_NONE,
    }),
  },
  {
    name: "put private property of another user",
    method: "PUT",
    path: "/properties/{fixture:privateProperty}",
    contentType: MEDIA_TYPES.json,
    body: JSON.stringify({
      id: "{fixture:privateProperty}",
      type: PROPERTY,
      name: "PRIVATE_SETTING",
      owner: SYSTEM_TEST,
    }),
  },
  {
    name: "put shared property without edit permission",
    method: "PUT",
    path: "/properties/{fixture:viewOnlyProperty}",
    contentType: MEDIA_TYPES.json,
    body: JSON.stringify({
      id: "{fixture:viewOnlyProperty}",
      type: PROPERTY,
      name: "SHARED_SETTING",
      owner: SYSTEM_TEST,
      user_shares: [{
        type: "heaobject.root.ShareImpl",
        user: SYSTEM_NONE,
        permissions: ["VIEWER"],
      }],
    }),
  },
  {
    name: "delete property with unknown id",
    method: "DELETE",
    path: "/properties/6650f0c2a3b4c5d6e7f809ff",
  },
  {
    name: "delete property with unparsable id",
    method: "DELETE",
    path: "/properties/not-an-object-id",
  },
  {
    name: "delete private property of another user",
    method: "DELETE",
    path: "/properties/{fixture:privateProperty}",
  },
  {
    name: "delete shared property without delete permission",
    method: "DELETE",
    path: "/properties/{fixture:viewOnlyProperty}",
  },
  { name: "delete properties collection", method: "DELETE", path: "/properties" },
  {
    name: "post to a property",
    method: "POST",
    path: "/properties/{fixture:uploadProperty}",
    contentType: MEDIA_TYPES.json,
    body: JSON.stringify({ type: PROPERTY, name: "POST_TO_ITEM" }),
  },
  {
    name: "put components collection",
    method: "PUT",
    path: "/components",
    contentType: MEDIA_TYPES.json,
    body: JSON.stringify({ type: COMPONENT, name: "PUT_TO_COLLECTION" }),
  },
  { name: "delete component by type", method: "DELETE", path: "/components/bytype/x.Y" },
  {
    name: "options of a property",
    method: "OPTIONS",
    path: "/properties/{fixture:uploadProperty}",
  },
];

/** Every recorded request, in the order the test replays them. */
export const RECORDED_REQUESTS: readonly RecordedRequest[] = [
  ...READS,
  ...READ_ERRORS,
  ...WRITES,
  ...WRITE_ERRORS,
];
