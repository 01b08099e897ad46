import assert from "node:assert/strict";
import { type Action, hasTarget, joinUrl } from "./action.ts";
import { ActionSet } from "./action_set.ts";

const BASE = "http://localhost:8080";

const SELF: Action = {
  name: "example-note-get-self",
  type: "safe",
  action: "read",
  target: ["item", "read", "cj"],
  rel: ["self"],
  prompt: "View",
};

const PROPERTIES: Action = {
  name: "example-note-get-properties",
  type: "unsafe",
  target: ["item", "cj-template"],
  rel: ["hea-properties"],
  prompt: "Properties",
  inputs: [
    { name: "text", prompt: "Text" },
    {
      name: "user",
      type: "select",
      section: "user_shares",
      optionsFromUrl: { path: "people/", value: "id", text: "display_name" },
    },
  ],
};

const CREATE: Action = {
  name: "example-note-get-create-choices",
  type: "safe",
  target: ["list", "cj"],
  prompt: "New",
};

function actions(): ActionSet {
  return new ActionSet([SELF, PROPERTIES, CREATE]);
}

Deno.test("joinUrl puts one slash between base and path", () => {
  const cases: [string, string, string][] = [
    [BASE, "notes/{id}", `${BASE}/notes/{id}`],
    [`${BASE}/`, "notes/{id}", `${BASE}/notes/{id}`],
    [BASE, "/notes/{id}", `${BASE}/notes/{id}`],
    [`${BASE}/`, "//notes", `${BASE}/notes`],
    [BASE, "", BASE],
    [`${BASE}/`, "", `${BASE}/`],
    [`${BASE}/api`, "notes", `${BASE}/api/notes`],
    [BASE, "{+actual_object_uri}", `${BASE}/{+actual_object_uri}`],
  ];

  for (const [base, path, expected] of cases) {
    assert.equal(joinUrl(base, path), expected, `${base} + ${path}`);
  }
});

Deno.test("joinUrl keeps an absolute path", () => {
  assert.equal(joinUrl(BASE, "https://example.com/people/"), "https://example.com/people/");
  assert.equal(joinUrl(BASE, "mailto:someone@example.com"), "mailto:someone@example.com");
});

Deno.test("hasTarget checks one tag", () => {
  assert.equal(hasTarget(SELF, "read"), true);
  assert.equal(hasTarget(SELF, "cj"), true);
  assert.equal(hasTarget(SELF, "href"), false);
  assert.equal(hasTarget(CREATE, "item"), false);
});

Deno.test("ActionSet stores actions by name", () => {
  const set = actions();

  assert.equal(set.get(SELF.name), SELF);
  assert.equal(set.get("missing"), undefined);
  assert.deepEqual(set.all(), [SELF, PROPERTIES, CREATE]);
});

Deno.test("ActionSet rejects duplicate names", () => {
  assert.throws(
    () => new ActionSet([SELF, { ...SELF, prompt: "Other" }]),
    (error: unknown) => error instanceof TypeError && error.message.includes(SELF.name),
  );
  assert.throws(() => actions().add(SELF), TypeError);
});

Deno.test("ActionSet.add returns the set", () => {
  const set = new ActionSet();

  assert.equal(set.add(SELF), set);
  assert.equal(set.get(SELF.name), SELF);
});

Deno.test("attach resolves paths against the base URL", () => {
  const cases: [string, string | undefined, string][] = [
    [BASE, "notes/{id}", `${BASE}/notes/{id}`],
    [`${BASE}/`, "notes/{id}", `${BASE}/notes/{id}`],
    [BASE, "/notes/{id}", `${BASE}/notes/{id}`],
    [BASE, "", BASE],
    [`${BASE}/`, undefined, `${BASE}/`],
  ];

  for (const [base, path, expected] of cases) {
    const [attached] = actions().attach([
      { name: SELF.name, ...(path !== undefined ? { path } : {}) },
    ], base);
    assert.equal(attached?.href, expected, `${base} + ${path}`);
  }
});

Deno.test("attach resolves paths against a link's root", () => {
  const [attached] = actions().attach(
    [{ name: SELF.name, path: "folders/{id}", root: "http://localhost:9090/" }],
    BASE,
  );

  assert.equal(attached?.href, "http://localhost:9090/folders/{id}");
});

Deno.test("attach splits a rel string on whitespace", () => {
  const cases: [string, string[]][] = [
    ["self", ["self"]],
    ["self hea-self-container", ["self", "hea-self-container"]],
    ["  hea-opener \t hea-default\n", ["hea-opener", "hea-default"]],
    ["", []],
  ];

  for (const [rel, expected] of cases) {
    const [attached] = actions().attach([{ name: SELF.name, rel }], BASE);
    assert.deepEqual(attached?.rel, expected, JSON.stringify(rel));
  }
});

Deno.test("attach takes a rel list as given", () => {
  const rel = ["hea-opener", "hea-default"];

  const [attached] = actions().attach([{ name: SELF.name, rel }], BASE);

  assert.deepEqual(attached?.rel, ["hea-opener", "hea-default"]);
  assert.notEqual(attached?.rel, rel);
});

Deno.test("attach falls back to the action's rel", () => {
  const [self, create] = actions().attach([{ name: SELF.name }, { name: CREATE.name }], BASE);

  assert.deepEqual(self?.rel, ["self"]);
  assert.deepEqual(create?.rel, []);
});

Deno.test("attach copies the design-time action", () => {
  const [attached] = actions().attach([{ name: SELF.name, path: "notes/{id}" }], BASE);

  assert.deepEqual(attached, { ...SELF, href: `${BASE}/notes/{id}`, rel: ["self"] });
  assert.equal(Object.hasOwn(attached ?? {}, "itemIf"), false);
});

Deno.test("attach keeps the order of links", () => {
  const attached = actions().attach(
    [{ name: CREATE.name }, { name: SELF.name }, { name: PROPERTIES.name }],
    BASE,
  );

  assert.deepEqual(attached.map((action) => action.name), [
    CREATE.name,
    SELF.name,
    PROPERTIES.name,
  ]);
});

Deno.test("attach rejects an unknown action", () => {
  assert.throws(
    () => actions().attach([{ name: "example-note-missing" }], BASE),
    (error: unknown) =>
      error instanceof TypeError && error.message.includes('"example-note-missing"'),
  );
});

Deno.test("attach rejects an action attached twice", () => {
  assert.throws(
    () => actions().attach([{ name: SELF.name, path: "a" }, { name: SELF.name, path: "b" }], BASE),
    (error: unknown) => error instanceof TypeError && error.message.includes("twice"),
  );
});

Deno.test("attach allows the same action in separate calls", () => {
  const set = actions();

  set.attach([{ name: SELF.name }], BASE);
  const [again] = set.attach([{ name: SELF.name }], BASE);

  assert.equal(again?.name, SELF.name);
});

Deno.test("attach rejects itemIf without an item target", () => {
  assert.throws(
    () => actions().attach([{ name: CREATE.name, itemIf: () => true }], BASE),
    (error: unknown) => error instanceof TypeError && error.message.includes(CREATE.name),
  );
});

Deno.test("attach keeps itemIf of an item action", () => {
  const itemIf = () => false;

  const [attached] = actions().attach([{ name: SELF.name, itemIf }], BASE);

  assert.equal(attached?.itemIf, itemIf);
});

Deno.test("attach resolves optionsFromUrl against the base URL", () => {
  const [attached] = actions().attach([{ name: PROPERTIES.name, path: "notes/{id}" }], BASE);

  const user = attached?.inputs?.find((input) => input.name === "user");
  assert.deepEqual(user?.optionsFromUrl, {
    path: "people/",
    value: "id",
    text: "display_name",
    href: `${BASE}/people/`,
  });
});

Deno.test("attach resolves optionsFromUrl against a link's root", () => {
  const [attached] = actions().attach(
    [{ name: PROPERTIES.name, root: "http://localhost:9090" }],
    BASE,
  );

  const user = attached?.inputs?.find((input) => input.name === "user");
  assert.equal(user?.optionsFromUrl?.href, "http://localhost:9090/people/");
});

Deno.test("attach leaves inputs without optionsFromUrl unchanged", () => {
  const [attached] = actions().attach([{ name: PROPERTIES.name }], BASE);

  assert.equal(attached?.inputs?.[0], PROPERTIES.inputs?.[0]);
  assert.equal(attached?.inputs?.length, 2);
});

Deno.test("attach leaves the design-time action unchanged", () => {
  const before = structuredClone(PROPERTIES);

  actions().attach([{ name: PROPERTIES.name, path: "x", rel: "a b" }], BASE);

  assert.deepEqual(PROPERTIES, before);
  assert.equal(PROPERTIES.inputs?.[1]?.optionsFromUrl?.href, undefined);
});
