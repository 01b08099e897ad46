/**
 * The run-time document: what a handler hands to a representor.
 *
 * @module
 */

import type { HeaObject, Permission, PermissionContext, TypeRegistry } from "../objects/mod.ts";
import type { RunTimeAction } from "./action.ts";

/** One object of a document, with the caller's permissions on it and on its attributes. */
export interface DocumentItem {
  /** The object's attributes. */
  readonly object: HeaObject;
  /** The caller's permissions on the object. */
  readonly permissions: readonly Permission[];
  /** The caller's permissions on each attribute. */
  readonly attributePermissions: Readonly<Record<string, readonly Permission[]>>;
}

/**
 * A run-time document: the objects of a response, the actions attached to it, and what URI
 * templates may refer to. Items may be an async iterable, so representors can stream a large
 * collection.
 */
export interface RunTimeDocument {
  /** The URL of the request. */
  readonly href: string;
  /** The actions attached by the handler. */
  readonly actions: readonly RunTimeAction[];
  /** The objects. */
  readonly items: Iterable<DocumentItem> | AsyncIterable<DocumentItem>;
  /** The route's parameters, for URI templates. */
  readonly parameters: Readonly<Record<string, string>>;
  /** The request's headers, for the URI templates of document links and templates. */
  readonly headers: Readonly<Record<string, string>>;
  /** The types of the objects, for the template's attribute permissions. */
  readonly registry: TypeRegistry;
  /** The caller, for the attribute permissions of multi-item templates. */
  readonly caller: PermissionContext;
  /** The title of the service's WeSTL documents. */
  readonly title?: string;
  /** Whether to include the objects' data (`false` for opener choices, which show links only). */
  readonly includeData?: boolean;
}

/**
 * Streams the items of a document, whether they are a list or an async iterable.
 *
 * @example
 * ```ts
 * import { documentItems } from "@hea/server/representors";
 * import assert from "node:assert/strict";
 *
 * const items = [{ object: { type: "x.Y" }, permissions: [], attributePermissions: {} }];
 * assert.equal((await Array.fromAsync(documentItems(items))).length, 1);
 * ```
 */
export async function* documentItems(
  items: Iterable<DocumentItem> | AsyncIterable<DocumentItem>,
): AsyncGenerator<DocumentItem> {
  yield* items;
}
