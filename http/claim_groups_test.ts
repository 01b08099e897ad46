import assert from "node:assert/strict";
import { claimGroups } from "./claim_groups.ts";

const REQUEST = new Request("http://localhost/");

Deno.test("claimGroups reads a list from verified claims", async () => {
  const groups = claimGroups();
  const caller = {
    sub: "alice",
    claims: { groups: "/ignored" },
    tokenClaims: { groups: ["/*super-admin", " /research ", "", 42, "/research"] },
  };

  assert.deepEqual(await groups(caller, REQUEST), ["/*super-admin", "/research"]);
});

Deno.test("claimGroups prefers verified claims over headers", async () => {
  const groups = claimGroups();
  const caller = { sub: "alice", claims: { groups: "/*super-admin" }, tokenClaims: {} };

  assert.deepEqual(await groups(caller, REQUEST), []);
});

Deno.test("claimGroups reads comma-separated gateway claims", async () => {
  const groups = claimGroups("hea_groups");
  const caller = { sub: "alice", claims: { hea_groups: "/a, /b,,/a" } };

  assert.deepEqual(await groups(caller, REQUEST), ["/a", "/b"]);
});

Deno.test("claimGroups gives system users no groups", async () => {
  const groups = claimGroups();
  const caller = { sub: "system|all", claims: {}, tokenClaims: { groups: ["/*super-admin"] } };

  assert.deepEqual(await groups(caller, REQUEST), []);
});

Deno.test("claimGroups ignores claims of other types", async () => {
  const groups = claimGroups();

  for (const value of [null, 1, true, { group: "/a" }]) {
    const caller = { sub: "alice", claims: {}, tokenClaims: { groups: value } };
    assert.deepEqual(await groups(caller, REQUEST), [], JSON.stringify(value));
  }
});

Deno.test("claimGroups rejects invalid claim names", () => {
  assert.throws(() => claimGroups(""), /Invalid claim name/);
  assert.throws(() => claimGroups("a b"), /Invalid claim name/);
});
