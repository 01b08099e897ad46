import assert from "node:assert/strict";
import { renderCollectionJson } from "./collection_json.ts";
import { negotiateRepresentor, REPRESENTORS } from "./negotiation.ts";
import { renderNvpJson } from "./nvp_json.ts";
import { renderWstl } from "./wstl_json.ts";

const CJ = "application/vnd.collection+json";
const WSTL = "application/vnd.wstl+json";
const JSON_TYPE = "application/json";

function negotiate(accept: string | null): string | undefined {
  return negotiateRepresentor(accept)?.mediaType;
}

Deno.test("REPRESENTORS lists CJ, WeSTL, then JSON", () => {
  assert.deepEqual(REPRESENTORS.map((representor) => representor.mediaType), [
    CJ,
    WSTL,
    JSON_TYPE,
  ]);
  assert.equal(REPRESENTORS[0]?.render, renderCollectionJson);
  assert.equal(REPRESENTORS[1]?.render, renderWstl);
  assert.equal(REPRESENTORS[2]?.render, renderNvpJson);
  assert.equal(Object.isFrozen(REPRESENTORS), true);
});

Deno.test("negotiateRepresentor defaults to CJ without Accept", () => {
  for (const accept of [null, "", "   ", "\t"]) {
    assert.equal(negotiate(accept), CJ, JSON.stringify(accept));
  }
});

Deno.test("negotiateRepresentor picks an exact media type", () => {
  assert.equal(negotiate(CJ), CJ);
  assert.equal(negotiate(WSTL), WSTL);
  assert.equal(negotiate(JSON_TYPE), JSON_TYPE);
});

Deno.test("negotiateRepresentor accepts a q parameter", () => {
  assert.equal(negotiate(`${WSTL};q=1.0`), WSTL);
  assert.equal(negotiate(`${WSTL} ; q=0.9`), WSTL);
});

Deno.test({
  name: "negotiateRepresentor ignores media type parameters",
  fn() {
    assert.equal(negotiate("application/json; charset=utf-8"), JSON_TYPE);
    assert.equal(negotiate(`${CJ}; charset=UTF-8`), CJ);
  },
});

Deno.test("negotiateRepresentor honours q-values", () => {
  const cases: [string, string][] = [
    [`${JSON_TYPE};q=0.5, ${WSTL}`, WSTL],
    [`${CJ};q=0.1, ${JSON_TYPE};q=0.9`, JSON_TYPE],
    [`${CJ};q=0.3, ${WSTL};q=0.2, ${JSON_TYPE};q=0.1`, CJ],
    [`${JSON_TYPE};q=0.1, text/html`, JSON_TYPE],
    [`${CJ};q=0.001, ${WSTL};q=0`, CJ],
  ];

  for (const [accept, expected] of cases) {
    assert.equal(negotiate(accept), expected, accept);
  }
});

Deno.test("negotiateRepresentor excludes types with q=0", () => {
  assert.equal(negotiate(`${JSON_TYPE};q=0`), undefined);
  assert.equal(negotiate("*/*;q=0"), undefined);
  assert.equal(negotiate(`${CJ};q=0, */*`), WSTL);
  assert.equal(negotiate(`${CJ};q=0, ${WSTL};q=0, application/*`), JSON_TYPE);
});

Deno.test("negotiateRepresentor breaks wildcard ties CJ, WeSTL, JSON", () => {
  const cases: [string, string][] = [
    ["*/*", CJ],
    ["application/*", CJ],
    ["text/html, */*;q=0.8", CJ],
    [`${CJ};q=0, application/*`, WSTL],
    [`${CJ};q=0, ${WSTL};q=0, */*`, JSON_TYPE],
  ];

  for (const [accept, expected] of cases) {
    assert.equal(negotiate(accept), expected, accept);
  }
});

Deno.test("negotiateRepresentor breaks equal-q ties by Accept order, wildcards by preference", () => {
  const cases: [string, string][] = [
    [`${JSON_TYPE}, ${CJ}`, JSON_TYPE],
    [`${JSON_TYPE}, ${WSTL}`, JSON_TYPE],
    [`${WSTL};q=0.9, ${JSON_TYPE};q=0.9, ${CJ};q=0.9`, WSTL],
    [`*/*;q=0.5, ${JSON_TYPE};q=0.5`, JSON_TYPE],
    [`application/*;q=0.5, ${JSON_TYPE};q=0.5`, JSON_TYPE],
    ["*/*", CJ],
    ["application/*", CJ],
  ];

  for (const [accept, expected] of cases) {
    assert.equal(negotiate(accept), expected, accept);
  }
});

Deno.test("negotiateRepresentor prefers a higher q over a specific type", () => {
  assert.equal(negotiate(`application/*;q=0.2, ${JSON_TYPE};q=0.1`), CJ);
});

Deno.test("negotiateRepresentor ignores case", () => {
  const cases: [string, string][] = [
    ["APPLICATION/JSON", JSON_TYPE],
    ["Application/Vnd.Collection+Json", CJ],
    ["application/VND.WSTL+JSON", WSTL],
    ["APPLICATION/*", CJ],
    [`${JSON_TYPE};Q=0.5, ${WSTL}`, WSTL],
  ];

  for (const [accept, expected] of cases) {
    assert.equal(negotiate(accept), expected, accept);
  }
});

Deno.test("negotiateRepresentor returns undefined for unacceptable types", () => {
  const unacceptable = [
    "text/html",
    "application/x-www-form-urlencoded",
    "text/*",
    "image/png, text/plain",
    "application/xml",
    "application/vnd.collection",
  ];

  for (const accept of unacceptable) {
    assert.equal(negotiate(accept), undefined, accept);
  }
});

Deno.test("negotiateRepresentor returns a representor that renders", async () => {
  const representor = negotiateRepresentor(JSON_TYPE);
  assert.ok(representor);

  const { PermissionContext, TypeRegistry } = await import("../objects/mod.ts");
  const chunks = await Array.fromAsync(representor.render({
    href: "http://localhost:8080/notes/",
    actions: [],
    items: [],
    parameters: {},
    headers: {},
    registry: new TypeRegistry(),
    caller: new PermissionContext("alice"),
  }));

  assert.equal(chunks.join(""), "[]");
});
