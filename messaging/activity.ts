/**
 * The activity lifecycle: a helper that records an operation as a desktop object action and
 * publishes each of its statuses.
 *
 * @module
 */

import { getLogger } from "@logtape/logtape";
import { completeObject } from "../objects/mod.ts";
import {
  type ActionCode,
  type DesktopObjectAction,
  type DesktopObjectActionOptions,
  DesktopObjectActionType,
  isFinalStatus,
  newDesktopObjectAction,
} from "./desktop_object_action.ts";
import type { ObjectPublisher } from "./publisher.ts";

/** Options of {@linkcode withActivity}. */
export interface ActivityOptions extends Omit<DesktopObjectActionOptions, "code"> {
  /** The action code: one of {@linkcode ACTION_CODES}, or a service's own code without the `hea-` prefix. */
  readonly code: ActionCode | (string & Record<never, never>);
}

const logger = getLogger(["hea", "messaging", "activity"]);

/**
 * Runs `operation` as a desktop object action and publishes the action three times: REQUESTED
 * before the operation, IN_PROGRESS as it starts, and SUCCEEDED or FAILED when it ends. The
 * operation receives the action to fill in the object's old and new URI, id, type name, display
 * name and volume, and may set a final status itself (FAILED without throwing, for example). A
 * thrown error always ends the action as FAILED and is rethrown. All three messages share one
 * `application_id`.
 *
 * An error from the publisher is rethrown, because it means the action could not be recorded.
 * When both the operation and the last publish fail, the operation's error is rethrown and the
 * publisher's is logged.
 *
 * @example Record an update
 * ```ts
 * import { type ObjectPublisher, withActivity } from "@hea/server/messaging";
 * import type { HeaObject } from "@hea/server/objects";
 * import assert from "node:assert/strict";
 *
 * const published: HeaObject[] = [];
 * const publisher: ObjectPublisher = {
 *   publish: (object) => {
 *     published.push(structuredClone(object));
 *     return Promise.resolve();
 *   },
 * };
 *
 * const name = await withActivity(
 *   publisher,
 *   { code: "hea-update", user: "alice", description: "Updating report.pdf" },
 *   (action) => {
 *     action.old_object_id = "6630f0c2a1b2c3d4e5f60718";
 *     action.new_object_id = "6630f0c2a1b2c3d4e5f60718";
 *     return Promise.resolve("report.pdf");
 *   },
 * );
 * assert.equal(name, "report.pdf");
 * assert.deepEqual(published.map((action) => action.status), ["REQUESTED", "IN_PROGRESS", "SUCCEEDED"]);
 * assert.equal(published[2]?.new_object_id, "6630f0c2a1b2c3d4e5f60718");
 * ```
 */
export async function withActivity<T>(
  publisher: ObjectPublisher,
  options: ActivityOptions,
  operation: (action: DesktopObjectAction) => Promise<T>,
): Promise<T> {
  const action = newDesktopObjectAction(options);

  await publishAction(publisher, action);

  action.status = "IN_PROGRESS";
  await publishAction(publisher, action);

  let result: T;
  try {
    result = await operation(action);
  } catch (error) {
    action.status = "FAILED";
    try {
      await publishAction(publisher, action);
    } catch (publishError) {
      logger.error("Failed to publish the FAILED status of action {applicationId}: {error}", {
        applicationId: action.application_id,
        error: publishError instanceof Error ? publishError.message : String(publishError),
      });
    }
    throw error;
  }

  if (!isFinalStatus(action.status)) {
    action.status = "SUCCEEDED";
  }
  await publishAction(publisher, action);

  return result;
}

/** Publishes the action with its computed attributes, such as `shares`, brought up to date. */
function publishAction(publisher: ObjectPublisher, action: DesktopObjectAction): Promise<void> {
  return publisher.publish(completeObject(action, DesktopObjectActionType));
}
