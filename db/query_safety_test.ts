import assert from "node:assert/strict";
import { assertSafeFilter, assertSafeSort, InvalidQueryError } from "./query_safety.ts";

Deno.test("assertSafeFilter accepts plain values", () => {
  assertSafeFilter({});
  assertSafeFilter({ name: "x", count: 3, enabled: false, missing: null, tags: ["a", "b"] });
  assertSafeFilter({ resources: { base_path: "folders" } });
  assertSafeFilter(JSON.parse('{"name":"$not-an-operator"}'));
});

Deno.test("assertSafeFilter rejects operators in keys", () => {
  const cases: [Record<string, unknown>, string][] = [
    [{ $where: "sleep(1000)" }, "$where"],
    [{ $or: [{ name: "a" }] }, "$or"],
    [{ "name.$ne": "a" }, "name.$ne"],
  ];

  for (const [filter, path] of cases) {
    assert.throws(
      () => assertSafeFilter(filter, { allowNestedPaths: true }),
      (error: unknown) => error instanceof InvalidQueryError && error.path === path,
      JSON.stringify(filter),
    );
  }
});

Deno.test("assertSafeFilter rejects operators in values", () => {
  const cases: [Record<string, unknown>, string][] = [
    [{ name: { $ne: null } }, "name.$ne"],
    [{ name: { $regex: ".*" } }, "name.$regex"],
    [{ tags: [{ $gt: "" }] }, "tags[0].$gt"],
    [{ owner: { nested: { $exists: true } } }, "owner.nested.$exists"],
    [JSON.parse('{"name":{"$in":["a"]}}'), "name.$in"],
  ];

  for (const [filter, path] of cases) {
    assert.throws(
      () => assertSafeFilter(filter),
      (error: unknown) => error instanceof InvalidQueryError && error.path === path,
      JSON.stringify(filter),
    );
  }
});

Deno.test("assertSafeFilter rejects dotted paths unless allowed", () => {
  assert.throws(() => assertSafeFilter({ "resources.base_path": "x" }), /dotted path/);
  assertSafeFilter({ "resources.base_path": "x" }, { allowNestedPaths: true });
  assert.throws(
    () => assertSafeFilter({ "resources..base_path": "x" }, { allowNestedPaths: true }),
    /empty attribute name/,
  );
  assert.throws(() => assertSafeFilter({ owner: { "a.b": 1 } }), /dotted key/);
});

Deno.test("assertSafeFilter rejects prototype keys and odd values", () => {
  assert.throws(() => assertSafeFilter(JSON.parse('{"__proto__":{"x":1}}')), /reserved name/);
  assert.throws(() => assertSafeFilter({ name: /x/ }), /regular expression/);
  assert.throws(() => assertSafeFilter({ when: new Date(0) }), /instance of Date/);
  assert.throws(() => assertSafeFilter({ count: Number.NaN }), /finite number/);
  assert.throws(() => assertSafeFilter({ count: 1n }), /bigint/);
  assert.throws(() => assertSafeFilter({ name: undefined }), /undefined/);
  assert.throws(() => assertSafeFilter({ "a\0b": 1 }), /NUL/);
  assert.throws(
    () => assertSafeFilter([] as unknown as Record<string, unknown>),
    /must be an object/,
  );
});

Deno.test("assertSafeSort accepts attribute paths", () => {
  assertSafeSort([]);
  assertSafeSort([{ attribute: "id", order: 1 }, { attribute: "resources.base_path", order: -1 }]);
});

Deno.test("assertSafeSort rejects operators and bad orders", () => {
  assert.throws(() => assertSafeSort([{ attribute: "$natural", order: 1 }]), InvalidQueryError);
  assert.throws(() => assertSafeSort([{ attribute: "a.$b", order: 1 }]), InvalidQueryError);
  assert.throws(() => assertSafeSort([{ attribute: "", order: 1 }]), /needs an attribute/);
  assert.throws(
    () => assertSafeSort([{ attribute: "a", order: 2 as 1 }]),
    /has order 2; use 1 or -1/,
  );
});
