import assert from "node:assert/strict";
import { HttpError } from "./http_error.ts";
import { parsePage, parseSort } from "./query_params.ts";

function sortOf(query: string) {
  return parseSort(new URLSearchParams(query));
}

function pageOf(query: string) {
  return parsePage(new URLSearchParams(query));
}

Deno.test("parseSort pairs sort with sort_attr in order", () => {
  assert.deepEqual(sortOf("sort=asc&sort_attr=name&sort=DESC&sort_attr=created"), [
    { attribute: "name", order: 1 },
    { attribute: "created", order: -1 },
  ]);
});

Deno.test("parseSort defaults", () => {
  assert.deepEqual(sortOf(""), []);
  assert.deepEqual(sortOf("sort=desc"), [{ attribute: "display_name", order: -1 }]);
  assert.deepEqual(sortOf("sort_attr=name&sort_attr=id"), [
    { attribute: "name", order: 1 },
    { attribute: "id", order: 1 },
  ]);
  assert.deepEqual(sortOf("sort_attr=resources.base_path"), [
    { attribute: "resources.base_path", order: 1 },
  ]);
});

Deno.test("parseSort rejects invalid input with 400", () => {
  const invalid = [
    "sort=up",
    "sort=",
    "sort_attr=$where",
    "sort_attr=a..b",
    "sort_attr=name;drop",
    `sort_attr=${"a".repeat(200)}`,
    "sort=asc&sort=desc",
    "sort=asc&sort=desc&sort_attr=name",
    "sort=asc&sort_attr=a&sort_attr=b",
    Array.from({ length: 9 }, (_, index) => `sort_attr=a${index}`).join("&"),
  ];
  for (const query of invalid) {
    assert.throws(
      () => sortOf(query),
      (error: unknown) => error instanceof HttpError && error.status === 400,
      query,
    );
  }
});

Deno.test("parsePage reads begin and end", () => {
  assert.deepEqual(pageOf(""), { begin: 0 });
  assert.deepEqual(pageOf("begin=5"), { begin: 5 });
  assert.deepEqual(pageOf("end=5"), { begin: 0, end: 5 });
  assert.deepEqual(pageOf("begin=3&end=3"), { begin: 3, end: 3 });
});

Deno.test("parsePage rejects invalid input with 400", () => {
  const invalid = [
    "begin=-1",
    "begin=1.5",
    "begin=abc",
    "end=",
    "begin=5&end=4",
    "begin=1&begin=2",
    `end=${"9".repeat(16)}`,
  ];
  for (const query of invalid) {
    assert.throws(
      () => pageOf(query),
      (error: unknown) => error instanceof HttpError && error.status === 400,
      query,
    );
  }
});
