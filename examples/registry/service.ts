/**
 * The HEA registry microservice, built on the public API only: the `components` and `properties`
 * collections and the lookup of the component that serves a type.
 *
 * @module
 */

import {
  type ActionLink,
  ActionSet,
  AdminPermissionContext,
  type Authenticator,
  type CollectionOptions,
  ComponentType,
  type Database,
  getOne,
  type GroupResolver,
  type Handler,
  HttpError,
  mountCollection,
  parseObject,
  PropertyType,
  type RequestLimits,
  ResourceType,
  Router,
  TypeRegistry,
} from "../../mod.ts";
import type { ObjectPublisher } from "../../messaging/mod.ts";
import { REGISTRY_ACTIONS } from "./actions.ts";
import { SAMPLE_COMPONENTS, SAMPLE_PROPERTIES } from "./sample_components.ts";

/** Options of {@linkcode createRegistryService}. */
export interface RegistryServiceOptions {
  /** The store. */
  readonly database: Database;
  /** The URL clients reach the service at, unless forwarded headers give another. */
  readonly baseUrl?: string;
  /** Finds the caller's groups. */
  readonly groups?: GroupResolver;
  /** Learns the caller; defaults to the gateway's `OIDC_CLAIM_*` headers. */
  readonly authenticate?: Authenticator;
  /** Limits on request size, for the router and for the bodies that the collections parse. */
  readonly limits?: RequestLimits;
  /** The publisher of desktop object actions and changed objects. Without it nothing is published. */
  readonly publisher?: ObjectPublisher;
}

/** The registry's types. */
export const REGISTRY_TYPES: TypeRegistry = new TypeRegistry([
  ComponentType,
  ResourceType,
  PropertyType,
]);

/** Creates the registry's router, with its collections prepared in the store. */
export async function createRegistryService(options: RegistryServiceOptions): Promise<Router> {
  const actions = new ActionSet(REGISTRY_ACTIONS, {
    title: "HEA registry: components and properties",
  });
  const router = new Router({
    ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
    ...(options.groups ? { groups: options.groups } : {}),
    ...(options.authenticate ? { authenticate: options.authenticate } : {}),
    ...(options.limits ? { limits: options.limits } : {}),
  });
  // A properties form and a self link on every object, whether read alone or in a listing.
  const componentLinks: ActionLink[] = [
    { name: "heaserver-registry-component-get-properties", rel: "hea-properties" },
    { name: "heaserver-registry-component-get-self", path: "components/{id}", rel: "self" },
  ];
  const propertyLinks: ActionLink[] = [
    { name: "heaserver-registry-property-get-properties", rel: "hea-properties" },
    { name: "heaserver-registry-property-get-self", path: "properties/{id}", rel: "self" },
  ];

  const components: CollectionOptions = {
    collection: "components",
    type: ComponentType,
    registry: REGISTRY_TYPES,
    database: options.database,
    ...(options.publisher ? { publisher: options.publisher } : {}),
    actions,
    links: {
      getOne: componentLinks,
      getAll: componentLinks,
      // heaserver-registry attaches no actions to lookups by name or by type.
      getByName: [],
      opener: [
        {
          name: "heaserver-registry-component-open-external",
          path: "{+external_base_url}",
          root: "",
          rel: "hea-opener hea-default",
        },
        { name: "heaserver-registry-component-get-self", path: "components/{id}", rel: "self" },
      ],
    },
  };
  const properties: CollectionOptions = {
    collection: "properties",
    type: PropertyType,
    registry: REGISTRY_TYPES,
    database: options.database,
    ...(options.publisher ? { publisher: options.publisher } : {}),
    actions,
    links: {
      getOne: propertyLinks,
      getAll: propertyLinks,
      getByName: [],
    },
  };

  router.get("/components/bytype/:type", componentByType(components));
  router.get("/componentsping", async () => {
    // Reading one object proves the store responds; an outage becomes a 503 in errorResponse.
    const objects = options.database.getAll("components", new AdminPermissionContext(), { end: 1 });
    for await (const _object of objects) {
      break;
    }
    return new Response("OK", { status: 200, headers: { "content-type": "text/plain" } });
  });
  await mountCollection(router, components);
  await mountCollection(router, properties);

  return router;
}

/**
 * Stores the sample components and properties when the store has none, so a new registry has
 * something to serve.
 */
export async function addSampleData(database: Database): Promise<number> {
  const admin = new AdminPermissionContext();
  let added = 0;
  for (
    const [collection, type, samples] of [
      ["components", ComponentType, SAMPLE_COMPONENTS],
      ["properties", PropertyType, SAMPLE_PROPERTIES],
    ] as const
  ) {
    const existing = database.getAll(collection, admin, { end: 1 })[Symbol.asyncIterator]();
    const first = await existing.next();
    await existing.return?.();
    if (!first.done) {
      continue;
    }
    for (const sample of samples) {
      const object = parseObject(sample, type, { registry: REGISTRY_TYPES });
      object.owner = String(sample.owner);
      await database.insert(collection, object);
      added++;
    }
  }

  return added;
}

/**
 * `GET /components/bytype/{type}`: the component whose resources include the type, without
 * actions, as heaserver-registry returns it.
 */
function componentByType(components: CollectionOptions): Handler {
  const getComponent = getOne({ ...components, links: {} });

  return async (request, context) => {
    const typeName = context.params.type ?? "";
    const matches = components.database.getAll(components.collection, context.permissions, {
      filter: { "resources.resource_type_name": typeName },
      end: 1,
    });
    for await (const component of matches) {
      return await getComponent(request, {
        ...context,
        params: { ...context.params, id: component.id ?? "" },
      });
    }
    throw new HttpError(404, `No component serves type ${JSON.stringify(typeName)}`);
  };
}
