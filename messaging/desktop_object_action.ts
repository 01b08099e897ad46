/**
 * Desktop object actions: HEA's records of what a user did to a desktop object, with a status that
 * moves from REQUESTED through IN_PROGRESS to SUCCEEDED or FAILED.
 *
 * @module
 */

import {
  attribute,
  completeObject,
  defineDesktopObjectType,
  type DesktopObject,
  newObject,
  NONE_USER,
  type ObjectType,
  type Share,
  SHARE_TYPE_NAME,
} from "../objects/mod.ts";

/** The status of an action, in lifecycle order. */
export type ActionStatus = "REQUESTED" | "IN_PROGRESS" | "SUCCEEDED" | "FAILED";

/**
 * The statuses in lifecycle order. An action's status may stay or move later in this list, never
 * earlier. FAILED comes after SUCCEEDED, as in the Python framework, so an operation that fails
 * after reporting success still ends as FAILED.
 *
 * @example Their order
 * ```ts
 * import { ACTION_STATUSES } from "@hea/server/messaging";
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(ACTION_STATUSES, ["REQUESTED", "IN_PROGRESS", "SUCCEEDED", "FAILED"]);
 * ```
 */
export const ACTION_STATUSES: readonly ActionStatus[] = Object.freeze([
  "REQUESTED",
  "IN_PROGRESS",
  "SUCCEEDED",
  "FAILED",
]);

/** HEA's standard action codes. */
export type ActionCode =
  | "hea-get"
  | "hea-create"
  | "hea-update"
  | "hea-delete"
  | "hea-duplicate"
  | "hea-move"
  | "hea-archive"
  | "hea-unarchive";

/**
 * HEA's standard action codes, one per kind of operation on a desktop object. HEA reserves the
 * `hea-` prefix: services choose other prefixes for their own codes.
 *
 * @example Check a code
 * ```ts
 * import { ACTION_CODES } from "@hea/server/messaging";
 * import assert from "node:assert/strict";
 *
 * assert.ok(ACTION_CODES.includes("hea-create"));
 * assert.equal(ACTION_CODES.length, 8);
 * ```
 */
export const ACTION_CODES: readonly ActionCode[] = Object.freeze([
  "hea-get",
  "hea-create",
  "hea-update",
  "hea-delete",
  "hea-duplicate",
  "hea-move",
  "hea-archive",
  "hea-unarchive",
]);

/** The type name of desktop object actions. */
export const DESKTOP_OBJECT_ACTION_TYPE_NAME = "heaobject.activity.DesktopObjectAction";

/** A desktop object action as JSON, with the attribute names of the Python `heaobject` package. */
export interface DesktopObjectAction extends DesktopObject {
  /** An id that the service assigns before the action is stored, shared by every status update. */
  application_id: string | null;
  /** The user who requested the action. */
  user_id: string | null;
  /** The URL of the request that started the action. */
  request_url: string | null;
  /** The place of the action, such as a part of the user interface. */
  context: string | null;
  /** The lifecycle status; assigning an earlier status throws a RangeError. */
  status: ActionStatus;
  /** The kind of action, such as `hea-create`. */
  code: string | null;
  /** When the action was requested, in UTC ISO 8601. */
  requested: string;
  /** When the action left REQUESTED. */
  began: string | null;
  /** When the action reached SUCCEEDED or FAILED. */
  ended: string | null;
  /** The latest of `ended`, `began` and `requested` that is set. */
  status_updated: string;
  /** Whole seconds from `began` to `ended`, once both are set. */
  duration: number | null;
  /** `duration` for people, such as `2 minutes`. */
  human_readable_duration: string | null;
  /** The object's URI before the action, relative to the gateway and without a leading `/`. */
  old_object_uri: string | null;
  /** The object's URI after the action. */
  new_object_uri: string | null;
  /** The id of the volume that contained the object before the action. */
  old_volume_id: string | null;
  /** The id of the volume that contains the object after the action. */
  new_volume_id: string | null;
  /** The object's id before the action. */
  old_object_id: string | null;
  /** The object's id after the action, such as the id of a copy. */
  new_object_id: string | null;
  /** The object's type name before the action. */
  old_object_type_name: string | null;
  /** The object's type name after the action. */
  new_object_type_name: string | null;
  /** The object's display name before the action. */
  old_object_display_name: string | null;
  /** The object's display name after the action. */
  new_object_display_name: string | null;
  /** The object's description before the action. */
  old_object_description: string | null;
  /** The object's description after the action. */
  new_object_description: string | null;
  /** The ids of the object's containers, outermost first, before the action. */
  old_context_dependent_object_path: string[] | null;
  /** The ids of the object's containers after the action. */
  new_context_dependent_object_path: string[] | null;
  /** Always `application/x.desktopobjectaction`. */
  mime_type: string;
}

const ACTIVITY_ATTRIBUTES = {
  application_id: attribute.string({ prompt: "Application id" }),
  user_id: attribute.string({ prompt: "User" }),
  request_url: attribute.string({ prompt: "Request URL" }),
  context: attribute.string(),
  requested: attribute.datetime({ prompt: "Requested" }),
  began: attribute.datetime({ prompt: "Began" }),
  ended: attribute.datetime({ prompt: "Ended" }),
  status_updated: attribute.datetime({ readOnly: true }),
  duration: attribute.integer({ readOnly: true }),
  human_readable_duration: attribute.string({ readOnly: true }),
};

const ACTION_ATTRIBUTES = {
  ...ACTIVITY_ATTRIBUTES,
  status: attribute.string({ default: "REQUESTED", nullable: false, values: ACTION_STATUSES }),
  code: attribute.string({ prompt: "Code" }),
};

/**
 * The abstract type of every activity record, so that subscribers to it receive every kind.
 *
 * @example Its name
 * ```ts
 * import { ActivityType } from "@hea/server/messaging";
 * import assert from "node:assert/strict";
 *
 * assert.equal(ActivityType.name, "heaobject.activity.Activity");
 * ```
 */
export const ActivityType: ObjectType = defineDesktopObjectType({
  name: "heaobject.activity.Activity",
  displayName: "Activity",
  attributes: ACTIVITY_ATTRIBUTES,
});

/**
 * The abstract type of activities with a status lifecycle.
 *
 * @example Its supertype
 * ```ts
 * import { ActionType } from "@hea/server/messaging";
 * import assert from "node:assert/strict";
 *
 * assert.equal(ActionType.supertype, "heaobject.activity.Activity");
 * ```
 */
export const ActionType: ObjectType = defineDesktopObjectType({
  name: "heaobject.activity.Action",
  displayName: "Action",
  supertype: "heaobject.activity.Activity",
  attributes: ACTION_ATTRIBUTES,
});

/**
 * The type of desktop object actions. Register it, with {@linkcode ActionType} and
 * {@linkcode ActivityType}, in a subscriber's registry to receive actions.
 *
 * @example Subtypes of Activity
 * ```ts
 * import { ActionType, ActivityType, DesktopObjectActionType } from "@hea/server/messaging";
 * import { TypeRegistry } from "@hea/server/objects";
 * import assert from "node:assert/strict";
 *
 * const registry = new TypeRegistry([ActivityType, ActionType, DesktopObjectActionType]);
 * assert.ok(registry.subtypeNames("heaobject.activity.Activity").includes(DesktopObjectActionType.name));
 * assert.equal(DesktopObjectActionType.mimeType, "application/x.desktopobjectaction");
 * ```
 */
export const DesktopObjectActionType: ObjectType = defineDesktopObjectType({
  name: DESKTOP_OBJECT_ACTION_TYPE_NAME,
  displayName: "Desktop Object Action",
  supertype: "heaobject.activity.Action",
  mimeType: "application/x.desktopobjectaction",
  attributes: {
    ...ACTION_ATTRIBUTES,
    old_object_uri: attribute.string(),
    new_object_uri: attribute.string(),
    old_volume_id: attribute.string(),
    new_volume_id: attribute.string(),
    old_object_id: attribute.string(),
    new_object_id: attribute.string(),
    old_object_type_name: attribute.string(),
    new_object_type_name: attribute.string(),
    old_object_display_name: attribute.string(),
    new_object_display_name: attribute.string(),
    old_object_description: attribute.string(),
    new_object_description: attribute.string(),
    old_context_dependent_object_path: attribute.strings({ nullable: true, default: null }),
    new_context_dependent_object_path: attribute.strings({ nullable: true, default: null }),
  },
});

/** Options of {@linkcode newDesktopObjectAction}. */
export interface DesktopObjectActionOptions {
  /** The action code, such as `hea-update`; see {@linkcode ACTION_CODES}. */
  readonly code: string;
  /** The user who requested the action. */
  readonly user: string;
  /** A short description for people, such as `Updating "report.pdf"`. */
  readonly description: string;
  /** The URL of the request. */
  readonly requestUrl?: string | null;
  /** The place of the action, such as a part of the user interface. */
  readonly context?: string | null;
  /** The shares that let users see the action. Defaults to a VIEWER share for `user`. */
  readonly shares?: readonly Share[];
  /** The application id. Defaults to a new UUID. */
  readonly applicationId?: string;
  /** The clock, for tests. */
  readonly now?: () => Date;
}

/**
 * Creates an action in REQUESTED status, owned by `system|none`. Its `status` checks each
 * assignment: moving to an earlier status throws a RangeError, leaving REQUESTED sets `began`,
 * and reaching SUCCEEDED or FAILED sets `ended` and `duration`.
 *
 * @example Move an action through its lifecycle
 * ```ts
 * import { newDesktopObjectAction } from "@hea/server/messaging";
 * import assert from "node:assert/strict";
 *
 * const action = newDesktopObjectAction({ code: "hea-get", user: "alice", description: "Opening a file" });
 * assert.equal(action.status, "REQUESTED");
 * action.status = "IN_PROGRESS";
 * assert.notEqual(action.began, null);
 * action.status = "SUCCEEDED";
 * assert.notEqual(action.ended, null);
 * assert.throws(() => { action.status = "IN_PROGRESS"; }, RangeError);
 * assert.equal(JSON.parse(JSON.stringify(action)).status, "SUCCEEDED");
 * ```
 */
export function newDesktopObjectAction(options: DesktopObjectActionOptions): DesktopObjectAction {
  const clock = options.now ?? (() => new Date());
  const action = newObject(DesktopObjectActionType) as DesktopObjectAction;

  action.application_id = options.applicationId ?? crypto.randomUUID();
  action.user_id = options.user;
  action.code = options.code;
  action.description = options.description;
  action.request_url = options.requestUrl ?? null;
  action.context = options.context ?? null;
  action.owner = NONE_USER;
  action.user_shares = options.shares
    ? structuredClone([...options.shares])
    : [viewerShare(options.user)];
  action.requested = clock().toISOString();
  action.status_updated = action.requested;

  defineStatus(action, clock);

  return completeObject(action, DesktopObjectActionType);
}

/** Returns whether a status is SUCCEEDED or FAILED. */
export function isFinalStatus(status: ActionStatus): boolean {
  return status === "SUCCEEDED" || status === "FAILED";
}

/** Makes `status` an accessor that rejects earlier statuses and keeps the timestamps current. */
function defineStatus(action: DesktopObjectAction, clock: () => Date): void {
  let current: ActionStatus = "REQUESTED";

  Object.defineProperty(action, "status", {
    enumerable: true,
    configurable: false,
    get: (): ActionStatus => current,
    set: (next: unknown): void => {
      const status = parseStatus(next);
      if (ACTION_STATUSES.indexOf(status) < ACTION_STATUSES.indexOf(current)) {
        throw new RangeError(
          `Invalid status change from ${current} to ${status}: an action's status never moves back`,
        );
      }

      const now = clock().toISOString();
      if (current === "REQUESTED" && status !== "REQUESTED" && action.began === null) {
        action.began = now;
      }
      if (isFinalStatus(status) && action.ended === null) {
        action.ended = now;
      }
      current = status;
      updateTimes(action);
    },
  });
}

function parseStatus(value: unknown): ActionStatus {
  if (typeof value === "string" && (ACTION_STATUSES as readonly string[]).includes(value)) {
    return value as ActionStatus;
  }

  throw new RangeError(
    `Invalid action status ${JSON.stringify(value)}: use one of ${ACTION_STATUSES.join(", ")}`,
  );
}

function updateTimes(action: DesktopObjectAction): void {
  action.status_updated = action.ended ?? action.began ?? action.requested;

  if (action.began === null || action.ended === null) {
    action.duration = null;
    action.human_readable_duration = null;
    return;
  }

  const milliseconds = Date.parse(action.ended) - Date.parse(action.began);
  action.duration = Math.floor(milliseconds / 1000);
  action.human_readable_duration = describeDuration(milliseconds);
}

/**
 * Describes a duration in words, in the style of the Python `humanize` package's `naturaldelta`.
 * NOTE: an approximation written here, not a port: wording may differ from Python's for some values.
 */
function describeDuration(milliseconds: number): string {
  const seconds = Math.floor(milliseconds / 1000);
  const units: Array<[number, string, string]> = [
    [86_400, "a day", "days"],
    [3_600, "an hour", "hours"],
    [60, "a minute", "minutes"],
    [1, "a second", "seconds"],
  ];

  for (const [size, one, many] of units) {
    const count = Math.floor(seconds / size);
    if (count >= 1) {
      return count === 1 ? one : `${count} ${many}`;
    }
  }

  return "a moment";
}

function viewerShare(user: string): Share {
  return {
    type: SHARE_TYPE_NAME,
    user,
    group: NONE_USER,
    permissions: ["VIEWER"],
    basis: "USER",
    invite: null,
    type_display_name: "Share",
  };
}
