import assert from "node:assert/strict";
import { expandTemplate, objectVariables } from "./template_variables.ts";

Deno.test("expandTemplate expands RFC 6570 operators", () => {
  const variables = { id: "a b", path: "x/y", sort: "asc", attrs: ["id", "name"] };
  const cases: [string, string][] = [
    ["http://h/notes/{id}", "http://h/notes/a%20b"],
    ["http://h/{+path}", "http://h/x/y"],
    ["http://h/{path}", "http://h/x%2Fy"],
    ["http://h/notes/{?sort}", "http://h/notes/?sort=asc"],
    ["http://h/notes/?x=1{&sort}", "http://h/notes/?x=1&sort=asc"],
    ["http://h/notes/{?attrs*}", "http://h/notes/?attrs=id&attrs=name"],
    ["http://h/notes/", "http://h/notes/"],
  ];

  for (const [template, expected] of cases) {
    assert.equal(expandTemplate(template, variables), expected, template);
  }
});

Deno.test("expandTemplate leaves missing variables empty", () => {
  assert.equal(expandTemplate("http://h/notes/{id}", {}), "http://h/notes/");
  assert.equal(expandTemplate("http://h/notes/{?sort}", {}), "http://h/notes/");
});

Deno.test("expandTemplate reads dotted variable names", () => {
  const variables = objectVariables({
    type: "x.C",
    main: { type: "x.R", base_path: "main" },
    resources: [{ type: "x.R", base_path: "a" }, { type: "x.R", base_path: "b" }],
  });

  assert.equal(expandTemplate("http://h/{main.base_path}", variables), "http://h/main");
  assert.equal(expandTemplate("http://h/{resources.base_path.1}", variables), "http://h/b");
});

Deno.test("expandTemplate gives the same result after many templates", () => {
  const template = "http://h/notes/{id}";
  const before = expandTemplate(template, { id: "1" });

  for (let index = 0; index < 1100; index++) {
    expandTemplate(`http://h/${index}/{id}`, { id: "x" });
  }

  assert.equal(expandTemplate(template, { id: "1" }), before);
  assert.equal(expandTemplate(template, { id: "2" }), "http://h/notes/2");
});

Deno.test("objectVariables names top-level attributes", () => {
  const variables = objectVariables({ type: "x.Y", id: "1", tags: ["a"], count: 2 });

  assert.deepEqual(variables, { type: "x.Y", id: "1", tags: ["a"], count: 2 });
});

Deno.test("objectVariables names nested object members", () => {
  const main = { type: "x.T", label: "work" };

  const variables = objectVariables({ type: "x.Y", main });

  assert.equal(variables.main, main);
  assert.equal(variables["main.type"], "x.T");
  assert.equal(variables["main.label"], "work");
});

Deno.test("objectVariables names list members by index", () => {
  const variables = objectVariables({
    type: "x.Y",
    tags: [{ type: "x.T", label: "a" }, "plain", { type: "x.T", label: "c" }],
  });

  assert.equal(variables["tags.label.0"], "a");
  assert.equal(variables["tags.label.2"], "c");
  assert.equal(Object.hasOwn(variables, "tags.label.1"), false);
  assert.equal(Object.hasOwn(variables, "tags.0"), false);
});

Deno.test("objectVariables skips members of null values", () => {
  const variables = objectVariables({ type: "x.Y", main: null, tags: [] });

  assert.deepEqual(variables, { type: "x.Y", main: null, tags: [] });
});
