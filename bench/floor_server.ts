/**
 * The floor of the benchmarks: a hand-written `Deno.serve` program on the `mongodb` driver that
 * sends the same MongoDB commands as examples/registry on FerretDB v1 and writes the same
 * Collection+JSON bytes for the same objects, without @hea/server. What the registry costs beyond
 * this program is what the framework costs.
 *
 * It serves only what the benchmark requests: `GET /components`, `GET /components/{id}`,
 * `POST /properties`, `DELETE /properties/{id}` and `GET /{collection}/{id}/content`, for callers
 * in no group. The caller is the `OIDC_CLAIM_sub` header and the base URL of links comes from
 * `X-Forwarded-Host`, as behind HEA's gateway, both taken as sent.
 *
 * Usage: `deno run -A bench/floor_server.ts --port PORT --mongodb mongodb://127.0.0.1:PORT/DB`
 *
 * @module
 */

import { parseArgs } from "node:util";
import { Readable } from "node:stream";
import {
  type Collection,
  type Db,
  type Document,
  GridFSBucket,
  MongoClient,
  ObjectId,
} from "mongodb";
// Only the registry's action table, which is plain data, so the floor shows the same form as the
// registry. `actions.ts` imports nothing from the framework at run time.
import { REGISTRY_ACTIONS } from "../examples/registry/actions.ts";

type Json = Record<string, unknown>;

/** The permissions that let a caller view an object, as HEA defines them. */
const GETTER = ["VIEWER", "COOWNER", "EDITOR", "SHARER"];
/** The permissions that let a caller delete an object. */
const DELETER = ["DELETER", "COOWNER"];
/** The permissions that let a caller change an attribute. */
const PUTTER = ["EDITOR", "COOWNER"];
/** The permissions that let a caller change shares. */
const SHARER = ["SHARER", "COOWNER"];
/** Every permission in HEA's canonical order, which documents list them in. */
const CANONICAL_ORDER = ["VIEWER", "EDITOR", "SHARER", "COOWNER", "CREATOR", "DELETER"];
/** An owner has every permission but CREATOR. */
const OWNER_PERMISSIONS = CANONICAL_ORDER.filter((permission) => permission !== "CREATOR");
const ALL_USERS = "system|all";
const FLUSH_CHARACTERS = 16 * 1024;
const NO_CACHE = {
  "cache-control": "no-cache, no-store, must-revalidate",
  pragma: "no-cache",
  expires: "0",
};
const COLLECTION_JSON = "application/vnd.collection+json";

const { values } = parseArgs({
  options: { port: { type: "string" }, mongodb: { type: "string" } },
});
if (!values.port || !values.mongodb) {
  throw new TypeError("Usage: floor_server.ts --port PORT --mongodb mongodb://HOST:PORT/DATABASE");
}
const client = new MongoClient(values.mongodb);
await client.connect();
const db: Db = client.db();
const components: Collection = db.collection("components");
const properties: Collection = db.collection("properties");

const form = REGISTRY_ACTIONS.find((action) =>
  action.name === "heaserver-registry-component-get-properties"
);
if (!form?.inputs) {
  throw new Error(
    "The registry's component form heaserver-registry-component-get-properties is missing",
  );
}
const FORM_INPUTS: readonly Json[] = form.inputs as unknown as Json[];
/** The template of a listing depends only on the base URL, so it is rendered once per base URL. */
const listTemplates = new Map<string, string>();

const server = Deno.serve(
  { hostname: "127.0.0.1", port: Number(values.port), onListen: () => {} },
  route,
);
Deno.addSignalListener("SIGTERM", () => {
  void server.shutdown().then(() => client.close());
});

async function route(request: Request): Promise<Response> {
  const url = new URL(request.url);
  const sub = request.headers.get("oidc_claim_sub") ?? "system|none";
  const base = `http://${request.headers.get("x-forwarded-host") ?? url.host}`;
  const path = url.pathname;

  // Documents name themselves by the URL that clients reach, as the registry's do.
  const href = `${base}${path}${url.search}`;
  if (request.method === "GET" && path === "/components") {
    return listComponents(href, sub, base);
  }
  let match = path.match(/^\/components\/([0-9a-f]{24})$/);
  if (request.method === "GET" && match?.[1]) {
    return await getComponent(href, match[1], sub, base);
  }
  if (request.method === "POST" && path === "/properties") {
    return await createProperty(request, sub, base);
  }
  match = path.match(/^\/properties\/([0-9a-f]{24})$/);
  if (request.method === "DELETE" && match?.[1]) {
    return await deleteProperty(match[1], sub);
  }
  match = path.match(/^\/([a-z]+)\/([0-9a-f]{24})\/content$/);
  if (request.method === "GET" && match?.[1] && match[2]) {
    return await getContent(match[1], match[2], sub);
  }

  return new Response("Not found", { status: 404 });
}

/** Returns the permission filter that the MongoDB store sends to FerretDB v1 for a caller in no group. */
function visibleFilter(sub: string, needed: readonly string[]): Json {
  return {
    $or: [
      { owner: { $in: [sub, ALL_USERS] } },
      {
        $and: [{
          $and: [
            { $or: [{ "shares.user": { $in: [sub, ALL_USERS] } }] },
            { "shares.permissions": { $elemMatch: { $in: [...needed] } } },
          ],
        }],
      },
    ],
  };
}

/** Returns the caller's permissions on a document, in canonical order. */
function permissionsOf(document: Document, sub: string): string[] {
  if (document.owner === sub || document.owner === ALL_USERS) {
    return OWNER_PERMISSIONS;
  }
  const granted = new Set<string>();
  for (const share of (document.shares ?? []) as Json[]) {
    const groupShare = share.basis === "GROUP" ||
      (typeof share.group === "string" && share.group !== "system|none");
    if (!groupShare && (share.user === sub || share.user === ALL_USERS)) {
      for (const permission of (share.permissions ?? []) as string[]) {
        granted.add(permission);
      }
    }
  }

  return CANONICAL_ORDER.filter((permission) => granted.has(permission));
}

function holdsAny(permissions: readonly string[], needed: readonly string[]): boolean {
  return needed.some((permission) => permissions.includes(permission));
}

/** Returns the object as the registry reads it: `_id` becomes the `id` string, placed first. */
function toObject(document: Document): Json {
  const { _id: objectId, id: _storedId, ...attributes } = document;

  return { id: (objectId as ObjectId).toHexString(), ...attributes };
}

function isNestedObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value) &&
    typeof (value as Json).type === "string";
}

/** Returns one data row per attribute, per member of a nested object and per member of each listed object. */
function dataRows(object: Json): Json[] {
  const rows: Json[] = [];
  for (const [name, value] of Object.entries(object)) {
    if (name === "meta") {
      continue;
    }
    if (isNestedObject(value) && Object.keys(value).length > 0) {
      for (const [member, memberValue] of Object.entries(value)) {
        if (member !== "meta") {
          rows.push({ section: name, ...dataRow(member, memberValue) });
        }
      }
    } else if (Array.isArray(value) && value.length > 0 && value.every(isNestedObject)) {
      value.forEach((element: Json, index: number) => {
        for (const [member, memberValue] of Object.entries(element)) {
          if (member !== "meta") {
            rows.push({ section: name, index, ...dataRow(member, memberValue) });
          }
        }
      });
    } else {
      rows.push(dataRow(name, value));
    }
  }

  return rows;
}

function dataRow(name: string, value: unknown): Json {
  return { name, value, prompt: name, display: name !== "id" };
}

function itemJson(object: Json, base: string): string {
  return JSON.stringify({
    data: dataRows(object),
    links: [{ prompt: "View", rel: "self", href: `${base}/components/${object.id}` }],
  });
}

/**
 * Returns the component form as JSON. `object` is the single item of a one-object document, and its
 * values fill the form. Without it, the form is the empty one of a listing. An attribute is
 * read-only when its input sets `readOnly`, else when the caller may not change it. On a listing the
 * caller is the owner of a new object, who may change every attribute that the form leaves
 * editable.
 */
function templateJson(
  base: string,
  object: Json | undefined,
  permissions: readonly string[],
): string {
  const rows: Json[] = [];
  for (const input of FORM_INPUTS) {
    const name = input.name as string;
    const section = input.section as string | undefined;
    const editors = section === "user_shares" || section === "group_shares" ? SHARER : PUTTER;
    const readOnlyByPermission = object !== undefined && !holdsAny(permissions, editors);
    const value = object?.[section ?? name];

    if (section !== undefined && Array.isArray(value) && value.length > 0) {
      const readOnly = readOnlyByPermission || ((input.readOnly as boolean | undefined) ?? false);
      rows.push(formRow(input, base, input.value ?? null, readOnly, -1));
      value.forEach((element: Json, index: number) => {
        rows.push(formRow(input, base, element[name] ?? null, readOnly, index));
      });
    } else if (section !== undefined) {
      const readOnly = (input.readOnly as boolean | undefined) ?? readOnlyByPermission;
      rows.push(formRow(input, base, input.value ?? null, readOnly, -1));
    } else {
      const readOnly = (input.readOnly as boolean | undefined) ?? readOnlyByPermission;
      rows.push(formRow(input, base, value ?? input.value ?? null, readOnly, undefined));
    }
  }

  return JSON.stringify({ prompt: "Properties", rel: "hea-properties", data: sortSections(rows) });
}

function formRow(
  input: Json,
  base: string,
  value: unknown,
  readOnly: boolean,
  index: number | undefined,
): Json {
  const row: Json = {};
  if (index !== undefined) {
    row.section = input.section;
    row.index = index;
    if (input.sectionPrompt !== undefined) {
      row.sectionPrompt = input.sectionPrompt;
    }
  }
  row.name = input.name;
  row.value = value;
  row.prompt = input.prompt ?? input.name;
  row.required = input.required ?? false;
  row.readOnly = readOnly;
  row.pattern = input.pattern ?? null;
  for (const key of ["type", "cardinality", "display", "objectUrlTargetTypesInclude"]) {
    if (input[key] !== undefined) {
      row[key] = input[key];
    }
  }
  if (input.type === "select") {
    const fromUrl = input.optionsFromUrl as Json | undefined;
    if (input.suggest) {
      row.options = input.suggest;
    } else if (fromUrl) {
      row.options = { href: `${base}/${fromUrl.path}`, text: fromUrl.text, value: fromUrl.value };
    }
    row.value = selectValue(value);
  }

  return row;
}

function selectValue(value: unknown): unknown {
  if (typeof value === "boolean") {
    return String(value);
  }
  if (Array.isArray(value)) {
    return value.map(selectValue);
  }

  return value === null || value === undefined ? null : String(value);
}

/** Orders the rows of each run of one section by index; other rows keep their places. */
function sortSections(rows: Json[]): Json[] {
  const sorted: Json[] = [];
  let run: Json[] = [];
  for (const row of rows) {
    if (run.length > 0 && row.section !== run[0]?.section) {
      sorted.push(...run.sort((a, b) => (a.index as number) - (b.index as number)));
      run = [];
    }
    if (row.section === undefined) {
      sorted.push(row);
    } else {
      run.push(row);
    }
  }
  sorted.push(...run.sort((a, b) => (a.index as number) - (b.index as number)));

  return sorted;
}

function documentHead(href: string): string {
  return `[{"collection":{"version":"1.0","href":${JSON.stringify(href)}`;
}

async function getComponent(
  href: string,
  id: string,
  sub: string,
  base: string,
): Promise<Response> {
  // One object by `_id` alone, with the permission check in code, as the MongoDB store does.
  const document = await components.findOne({ _id: new ObjectId(id) });
  const permissions = document ? permissionsOf(document, sub) : [];
  if (!document || !holdsAny(permissions, GETTER)) {
    return new Response(`Registry Component ${id} not found`, { status: 404 });
  }

  const object = toObject(document);
  const body = `${documentHead(href)},"items":[${itemJson(object, base)}],"permissions":${
    JSON.stringify([permissions])
  },"template":${templateJson(base, object, permissions)}}}]`;

  return new Response(body, { headers: { "content-type": COLLECTION_JSON, ...NO_CACHE } });
}

/** Streams the listing in chunks of about 16 KiB, as the registry does, so memory stays flat. */
function listComponents(href: string, sub: string, base: string): Response {
  const cursor = components.find(visibleFilter(sub, GETTER)).sort([["_id", 1]]);
  const encoder = new TextEncoder();
  const permissions: string[][] = [];
  let started = false;
  let finished = false;

  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      let text = started ? "" : documentHead(href);
      started = true;
      while (text.length < FLUSH_CHARACTERS && !finished) {
        const document = await cursor.next();
        if (document === null) {
          finished = true;
          break;
        }
        const objectPermissions = permissionsOf(document, sub);
        if (!holdsAny(objectPermissions, GETTER)) {
          continue;
        }
        text += (permissions.length === 0 ? `,"items":[` : ",") +
          itemJson(toObject(document), base);
        permissions.push(objectPermissions);
      }
      if (finished) {
        let template = listTemplates.get(base);
        if (template === undefined) {
          template = templateJson(base, undefined, OWNER_PERMISSIONS);
          listTemplates.set(base, template);
        }
        text += `${permissions.length > 0 ? "]" : ""},"permissions":${
          JSON.stringify(permissions)
        },"template":${template}}}]`;
        controller.enqueue(encoder.encode(text));
        controller.close();
        await cursor.close();
        return;
      }
      controller.enqueue(encoder.encode(text));
    },
    async cancel() {
      await cursor.close();
    },
  });

  return new Response(body, { headers: { "content-type": COLLECTION_JSON, ...NO_CACHE } });
}

/** Stores a property in the layout of the registry's MongoDB store. */
async function createProperty(request: Request, sub: string, base: string): Promise<Response> {
  const input = await request.json() as Json;
  if (input.type !== "heaobject.registry.Property" || typeof input.name !== "string") {
    return new Response("Invalid property: set type and name", { status: 400 });
  }
  const objectId = new ObjectId();
  const now = new Date().toISOString();
  const name = input.name;
  try {
    await properties.insertOne({
      _id: objectId,
      type: input.type,
      instance_id: `${input.type}^${objectId.toHexString()}`,
      name,
      display_name: input.display_name ?? name,
      description: input.description ?? null,
      description_mime_type: null,
      owner: sub,
      user_shares: [],
      group_shares: [],
      shares: [],
      invites: [],
      created: now,
      modified: now,
      derived_by: null,
      derived_from: [],
      source: null,
      source_detail: null,
      type_display_name: "Property",
      super_admin_default_permissions: ["VIEWER", "EDITOR", "SHARER", "COOWNER", "DELETER"],
      dynamic_permission_supported: false,
      value: input.value ?? null,
    });
  } catch (error) {
    if ((error as { code?: number }).code === 11000) {
      return new Response(`Property ${name} already exists`, { status: 409 });
    }
    throw error;
  }

  return new Response("201: Created", {
    status: 201,
    headers: { location: `${base}/properties/${objectId.toHexString()}` },
  });
}

/** Deletes a property and its GridFS content, as the registry's store does. */
async function deleteProperty(id: string, sub: string): Promise<Response> {
  const objectId = new ObjectId(id);
  const document = await properties.findOne({ _id: objectId });
  if (!document || !holdsAny(permissionsOf(document, sub), GETTER)) {
    return new Response(`Property ${id} not found`, { status: 404 });
  }
  if (!holdsAny(permissionsOf(document, sub), DELETER)) {
    return new Response(`You may not delete property ${id}`, { status: 403 });
  }
  const result = await properties.deleteOne({
    $and: [{ _id: objectId }, visibleFilter(sub, DELETER)],
  });
  if (result.deletedCount === 0) {
    return new Response(`Property ${id} not found`, { status: 404 });
  }
  await db.collection("properties.files").deleteOne({ _id: objectId });
  await db.collection("properties.chunks").deleteMany({ files_id: objectId });

  return new Response(null, { status: 204 });
}

/** Streams an object's GridFS content after the same permission check as a GET of the object. */
async function getContent(collection: string, id: string, sub: string): Promise<Response> {
  const objectId = new ObjectId(id);
  const document = await db.collection(collection).findOne({ _id: objectId });
  if (!document || !holdsAny(permissionsOf(document, sub), GETTER)) {
    return new Response(`${id} not found`, { status: 404 });
  }
  const file = await db.collection(`${collection}.files`).findOne({ _id: objectId });
  if (!file) {
    return new Response(`${id} has no content`, { status: 404 });
  }

  const download = new GridFSBucket(db, { bucketName: collection }).openDownloadStream(objectId);
  const contentType = typeof file.metadata?.contentType === "string"
    ? file.metadata.contentType
    : "application/octet-stream";

  return new Response(Readable.toWeb(download) as ReadableStream<Uint8Array>, {
    headers: { "content-type": contentType, "content-length": String(file.length) },
  });
}
