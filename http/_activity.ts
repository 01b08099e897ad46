import { type DesktopObjectAction, withActivity } from "../messaging/mod.ts";
import type { DesktopObject } from "../objects/mod.ts";
import { type CollectionOptions, collectionPath } from "./collection_options.ts";
import type { RequestContext } from "./request_context.ts";

/** The side of an action that an object is on: before the change or after it. */
export type ActionSide = "old" | "new";

/**
 * Runs a write as a desktop object action when the collection has a publisher, and publishes its
 * REQUESTED, IN_PROGRESS and final statuses. Without a publisher it only runs the write.
 */
export async function recordActivity<T>(
  options: CollectionOptions,
  context: RequestContext,
  code: "hea-create" | "hea-update" | "hea-delete",
  description: string,
  operation: (action: DesktopObjectAction | undefined) => Promise<T>,
): Promise<T> {
  if (!options.publisher) {
    return await operation(undefined);
  }

  return await withActivity(options.publisher, {
    code,
    user: context.caller.sub,
    description,
    requestUrl: context.url.href,
  }, operation);
}

/** Records an object on one side of an action: its URI relative to the gateway, id, type and names. */
export function describeObject(
  action: DesktopObjectAction | undefined,
  side: ActionSide,
  options: CollectionOptions,
  object: DesktopObject,
): void {
  if (!action) {
    return;
  }

  action[`${side}_object_uri`] = `${collectionPath(options)}/${object.id}`;
  action[`${side}_object_id`] = object.id;
  action[`${side}_object_type_name`] = object.type;
  action[`${side}_object_display_name`] = object.display_name;
  action[`${side}_object_description`] = object.description;
}
