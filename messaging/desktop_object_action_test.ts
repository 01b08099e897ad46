import assert from "node:assert/strict";
import { PermissionContext, TypeRegistry } from "../objects/mod.ts";
import {
  ActionType,
  ActivityType,
  DESKTOP_OBJECT_ACTION_TYPE_NAME,
  DesktopObjectActionType,
  newDesktopObjectAction,
} from "./desktop_object_action.ts";

/** A clock that returns the given times in turn, then keeps returning the last. */
function clockOf(...isoTimes: string[]): () => Date {
  let index = 0;
  return () => new Date(isoTimes[Math.min(index++, isoTimes.length - 1)]!);
}

Deno.test("action starts as REQUESTED", () => {
  const action = newDesktopObjectAction({
    code: "hea-create",
    user: "alice",
    description: "Creating a folder",
    requestUrl: "http://127.0.0.1:8080/folders/",
    now: clockOf("2024-05-01T10:00:00.000Z"),
  });

  assert.equal(action.type, DESKTOP_OBJECT_ACTION_TYPE_NAME);
  assert.equal(action.status, "REQUESTED");
  assert.equal(action.requested, "2024-05-01T10:00:00.000Z");
  assert.equal(action.status_updated, "2024-05-01T10:00:00.000Z");
  assert.equal(action.began, null);
  assert.equal(action.ended, null);
  assert.equal(action.owner, "system|none");
  assert.equal(action.user_id, "alice");
  assert.equal(action.code, "hea-create");
  assert.equal(action.request_url, "http://127.0.0.1:8080/folders/");
  assert.match(action.application_id ?? "", /^[0-9a-f-]{36}$/);
  assert.equal(action.mime_type, "application/x.desktopobjectaction");
});

Deno.test("action is visible to its user only", () => {
  const action = newDesktopObjectAction({ code: "hea-get", user: "alice", description: "Reading" });

  assert.deepEqual(new PermissionContext("alice").getPermissions(action), ["VIEWER"]);
  assert.deepEqual(new PermissionContext("bob").getPermissions(action), []);
});

Deno.test("action status sets the timestamps", () => {
  const action = newDesktopObjectAction({
    code: "hea-update",
    user: "alice",
    description: "Updating",
    now: clockOf(
      "2024-05-01T10:00:00.000Z",
      "2024-05-01T10:00:01.000Z",
      "2024-05-01T10:02:06.500Z",
    ),
  });

  action.status = "IN_PROGRESS";
  assert.equal(action.began, "2024-05-01T10:00:01.000Z");
  assert.equal(action.status_updated, "2024-05-01T10:00:01.000Z");
  assert.equal(action.duration, null);

  action.status = "SUCCEEDED";
  assert.equal(action.ended, "2024-05-01T10:02:06.500Z");
  assert.equal(action.status_updated, "2024-05-01T10:02:06.500Z");
  assert.equal(action.duration, 125);
  assert.equal(action.human_readable_duration, "2 minutes");
});

Deno.test("action status never moves back", () => {
  const action = newDesktopObjectAction({
    code: "hea-delete",
    user: "alice",
    description: "Deleting",
  });
  action.status = "IN_PROGRESS";
  action.status = "IN_PROGRESS";
  action.status = "SUCCEEDED";

  assert.throws(() => action.status = "IN_PROGRESS", RangeError);
  assert.throws(() => action.status = "REQUESTED", /from SUCCEEDED to REQUESTED/);
  assert.equal(action.status, "SUCCEEDED");
});

Deno.test("action allows FAILED after SUCCEEDED", () => {
  const action = newDesktopObjectAction({
    code: "hea-move",
    user: "alice",
    description: "Moving",
    now: clockOf(
      "2024-05-01T10:00:00.000Z",
      "2024-05-01T10:00:00.000Z",
      "2024-05-01T10:00:03.000Z",
      "2024-05-01T10:00:09.000Z",
    ),
  });
  action.status = "IN_PROGRESS";
  action.status = "SUCCEEDED";

  action.status = "FAILED";

  assert.equal(action.status, "FAILED");
  // The end is when the action first ended, as in the Python framework.
  assert.equal(action.ended, "2024-05-01T10:00:03.000Z");
  assert.throws(() => action.status = "SUCCEEDED", RangeError);
});

Deno.test("action rejects unknown statuses", () => {
  const action = newDesktopObjectAction({ code: "hea-get", user: "alice", description: "Reading" });

  assert.throws(
    () => (action as { status: string }).status = "DONE",
    /Invalid action status "DONE"/,
  );
});

Deno.test("action skips IN_PROGRESS when instantaneous", () => {
  const action = newDesktopObjectAction({
    code: "hea-get",
    user: "alice",
    description: "Reading",
    now: clockOf("2024-05-01T10:00:00.000Z", "2024-05-01T10:00:00.400Z"),
  });

  action.status = "FAILED";

  assert.equal(action.began, "2024-05-01T10:00:00.400Z");
  assert.equal(action.ended, "2024-05-01T10:00:00.400Z");
  assert.equal(action.duration, 0);
  assert.equal(action.human_readable_duration, "a moment");
});

Deno.test("action serializes its status", () => {
  const action = newDesktopObjectAction({ code: "hea-get", user: "alice", description: "Reading" });
  action.status = "IN_PROGRESS";

  const json = JSON.parse(JSON.stringify(action));
  const copy = structuredClone(action);

  assert.equal(json.status, "IN_PROGRESS");
  assert.equal(copy.status, "IN_PROGRESS");
});

Deno.test("action keeps given shares", () => {
  const share = {
    type: "heaobject.root.ShareImpl",
    user: "system|none",
    group: "/research",
    permissions: ["VIEWER" as const],
    basis: "GROUP" as const,
  };
  const action = newDesktopObjectAction({
    code: "hea-get",
    user: "alice",
    description: "Reading",
    shares: [share],
  });

  assert.deepEqual(action.user_shares, [share]);
  assert.notEqual(action.user_shares[0], share);
});

Deno.test("action types form a hierarchy", () => {
  const registry = new TypeRegistry([ActivityType, ActionType, DesktopObjectActionType]);

  assert.deepEqual(registry.subtypeNames(ActivityType.name).sort(), [
    "heaobject.activity.Action",
    "heaobject.activity.Activity",
    "heaobject.activity.DesktopObjectAction",
  ]);
  assert.equal(registry.isSubtype(DesktopObjectActionType.name, ActionType.name), true);
  assert.ok("new_object_uri" in DesktopObjectActionType.attributes);
  assert.ok("status" in ActionType.attributes);
});
