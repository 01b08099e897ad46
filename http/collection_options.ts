/**
 * Options of the handler factories of a desktop-object collection.
 *
 * @module
 */

import type { Database } from "../db/mod.ts";
import type { ObjectPublisher } from "../messaging/mod.ts";
import type { ObjectType, TypeRegistry } from "../objects/mod.ts";
import type { ActionLink, ActionSet, BodyLimits } from "../representors/mod.ts";
import type { RequestContext } from "./request_context.ts";

/** The actions each handler attaches to its documents. */
export interface CollectionLinks {
  /** Actions of `GET /{collection}/{id}`. */
  readonly getOne?: readonly ActionLink[];
  /** Actions of `GET /{collection}`. */
  readonly getAll?: readonly ActionLink[];
  /** Actions of `GET /{collection}/byname/{name}`. */
  readonly getByName?: readonly ActionLink[];
  /** The choices of `GET /{collection}/{id}/opener`. */
  readonly opener?: readonly ActionLink[];
  /**
   * The form of `GET /{collection}/{id}/duplicator`; when set, the form's submission route
   * `POST /{collection}/duplicator` creates the copy.
   */
  readonly duplicator?: readonly ActionLink[];
}

/** A desktop-object collection: where its objects are stored, of what type, and how they are shown. */
export interface CollectionOptions {
  /** The collection's name in the database. */
  readonly collection: string;
  /** The URL path segment of the collection; defaults to `collection`. */
  readonly path?: string;
  /** The type of the collection's objects; input of other types is rejected with 400. */
  readonly type: ObjectType;
  /** The registry that resolves type names in input, subtypes and member types included. */
  readonly registry: TypeRegistry;
  /** The store. */
  readonly database: Database;
  /** The design-time actions that `links` refer to. */
  readonly actions?: ActionSet;
  /** The actions each handler attaches. */
  readonly links?: CollectionLinks;
  /** Whether names are unique in the collection, so a duplicate is a 409. Defaults to `true`. */
  readonly uniqueName?: boolean;
  /**
   * Whether objects carry content, served by `GET` and replaced by `PUT /{collection}/{id}/content`.
   * The store must implement `ContentStore`. Defaults to `false`.
   */
  readonly content?: boolean;
  /**
   * The largest content a PUT accepts, in bytes; it replaces the router's `maxBodyBytes` on the
   * content route. Defaults to 1 GiB.
   */
  readonly maxContentBytes?: number;
  /**
   * The publisher that announces changes. When set, POST, PUT and DELETE publish their desktop object action
   * (REQUESTED, IN_PROGRESS, then SUCCEEDED or FAILED) and POST and PUT publish the changed object.
   * Reads publish nothing.
   */
  readonly publisher?: ObjectPublisher;
  /** Limits on request bodies. */
  readonly bodyLimits?: BodyLimits;
  /**
   * Decides whether the caller may create objects in the collection. By default anyone may, as in
   * HEA, where collections that restrict creation declare it in the registry.
   */
  readonly canCreate?: (context: RequestContext) => boolean | Promise<boolean>;
}

/**
 * Returns the URL path segment of a collection.
 *
 * @example
 * ```ts
 * import { collectionPath } from "@hea/server/http";
 * import assert from "node:assert/strict";
 *
 * assert.equal(collectionPath({ collection: "components" }), "components");
 * assert.equal(collectionPath({ collection: "components", path: "registry/components" }), "registry/components");
 * ```
 */
export function collectionPath(options: Pick<CollectionOptions, "collection" | "path">): string {
  return (options.path ?? options.collection).replace(/^\/+|\/+$/g, "");
}
