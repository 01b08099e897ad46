import assert from "node:assert/strict";
import { InvalidObjectError } from "../objects/mod.ts";
import {
  BodyTooLargeError,
  FORM_MEDIA_TYPE,
  parseRequestBody,
  templateToObject,
} from "./request_body.ts";

const CJ = "application/vnd.collection+json";
const JSON_TYPE = "application/json";

/** Builds a POST request. A `contentType` of null sends no Content-Type header at all. */
function post(body: BodyInit | null, contentType: string | null = CJ, headers = {}): Request {
  const bytes = typeof body === "string" ? new TextEncoder().encode(body) : body;
  return new Request("http://localhost/notes/", {
    method: "POST",
    headers: { ...(contentType === null ? {} : { "content-type": contentType }), ...headers },
    body: bytes,
  });
}

/** Returns a stream of `size` space bytes in chunks, so the request carries no Content-Length. */
function streamOf(size: number, chunk = 1024): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent >= size) {
        controller.close();
        return;
      }
      const length = Math.min(chunk, size - sent);
      controller.enqueue(new Uint8Array(length).fill(0x20));
      sent += length;
    },
  });
}

function template(data: unknown[]): string {
  return JSON.stringify({ template: { data } });
}

async function assertInvalidField(
  promise: Promise<unknown>,
  field: string,
  message?: string,
): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof InvalidObjectError, `${message ?? field}: ${error}`);
    assert.equal(error.field, field, message);
    return true;
  }, message);
}

function assertTemplateField(json: unknown, field: string, message?: string): void {
  assert.throws(() => templateToObject(json), (error: unknown) => {
    assert.ok(error instanceof InvalidObjectError, `${message ?? field}: ${error}`);
    assert.equal(error.field, field, message);
    return true;
  }, message);
}

Deno.test("templateToObject turns plain rows into attributes", () => {
  const object = templateToObject({
    template: {
      data: [
        { name: "type", value: "example.Note" },
        { name: "text", value: "hi", prompt: "Text", readOnly: false },
        { name: "count", value: 3 },
        { name: "pinned", value: false },
        { name: "keywords", value: ["a", "b"] },
        { name: "description" },
      ],
    },
  });

  assert.deepEqual(object, {
    type: "example.Note",
    text: "hi",
    count: 3,
    pinned: false,
    keywords: ["a", "b"],
    description: null,
  });
});

Deno.test("templateToObject orders section rows by index", () => {
  const object = templateToObject({
    template: {
      data: [
        { name: "name", value: "registry" },
        { section: "resources", index: 2, name: "base_path", value: "c" },
        { section: "resources", index: 0, name: "base_path", value: "a" },
        { section: "resources", index: 1, name: "base_path", value: "b" },
        { section: "resources", index: 0, name: "type", value: "x.R" },
        { section: "resources", index: 2, name: "type", value: "x.R" },
      ],
    },
  });

  assert.deepEqual(object, {
    name: "registry",
    resources: [
      { base_path: "a", type: "x.R" },
      { base_path: "b" },
      { base_path: "c", type: "x.R" },
    ],
  });
});

Deno.test("templateToObject compacts gaps between indexes", () => {
  const object = templateToObject({
    template: {
      data: [
        { section: "tags", index: 5, name: "label", value: "late" },
        { section: "tags", index: 1, name: "label", value: "early" },
      ],
    },
  });

  assert.deepEqual(object, { tags: [{ label: "early" }, { label: "late" }] });
});

Deno.test("templateToObject skips index -1 rows", () => {
  const object = templateToObject({
    template: {
      data: [
        { section: "user_shares", index: -1, name: "user", value: "system|none" },
        { section: "user_shares", index: 0, name: "user", value: "bob" },
        { section: "user_shares", index: -1, name: "permissions", value: ["VIEWER"] },
        { section: "user_shares", index: 0, name: "permissions", value: ["EDITOR"] },
      ],
    },
  });

  assert.deepEqual(object, { user_shares: [{ user: "bob", permissions: ["EDITOR"] }] });
});

Deno.test("templateToObject gives a defaults-only section an empty list", () => {
  const object = templateToObject({
    template: {
      data: [
        { name: "name", value: "n" },
        { section: "user_shares", index: -1, name: "user", value: "system|none" },
      ],
    },
  });

  assert.deepEqual(object, { name: "n", user_shares: [] });
});

Deno.test("templateToObject turns a section without index into an object", () => {
  const object = templateToObject({
    template: {
      data: [
        { section: "main_tag", name: "type", value: "example.Tag" },
        { name: "text", value: "hi" },
        { section: "main_tag", name: "label", value: "work", index: null },
      ],
    },
  });

  assert.deepEqual(object, { main_tag: { type: "example.Tag", label: "work" }, text: "hi" });
});

Deno.test("templateToObject treats a null section as no section", () => {
  const object = templateToObject({
    template: { data: [{ section: null, name: "text", value: "hi" }] },
  });

  assert.deepEqual(object, { text: "hi" });
});

Deno.test("templateToObject accepts an empty template", () => {
  assert.deepEqual(templateToObject({ template: { data: [] } }), {});
});

Deno.test("templateToObject rejects a missing template", () => {
  const cases: [string, unknown][] = [
    ["no template", {}],
    ["null template", { template: null }],
    ["no data", { template: {} }],
    ["data not a list", { template: { data: { name: "x" } } }],
    ["a list", [{ template: { data: [] } }]],
    ["a string", "template"],
    ["null", null],
  ];

  for (const [name, json] of cases) {
    assertTemplateField(json, "template.data", name);
  }
});

Deno.test("templateToObject rejects malformed rows", () => {
  const cases: [string, unknown[], string][] = [
    ["row not an object", [{ name: "a" }, "b"], "template.data[1].name"],
    ["row without name", [{ value: "a" }], "template.data[0].name"],
    ["numeric name", [{ name: 3, value: "a" }], "template.data[0].name"],
    ["numeric section", [{ section: 1, name: "a" }], "template.data[0].section"],
    ["fractional index", [{ section: "s", index: 0.5, name: "a" }], "template.data[0].index"],
    ["string index", [{ section: "s", index: "0", name: "a" }], "template.data[0].index"],
    ["index below -1", [{ section: "s", index: -2, name: "a" }], "template.data[0].index"],
  ];

  for (const [name, data, field] of cases) {
    assertTemplateField({ template: { data } }, field, name);
  }
});

Deno.test("templateToObject rejects prototype-polluting names", () => {
  const cases: [unknown[], string][] = [
    [[{ name: "__proto__", value: { polluted: true } }], "template.data[0].name"],
    [[{ name: "text" }, { name: "constructor", value: "x" }], "template.data[1].name"],
    [[{ section: "__proto__", name: "polluted", value: true }], "template.data[0].section"],
    [[{ section: "prototype", index: 0, name: "a", value: 1 }], "template.data[0].section"],
    [[{ section: "tags", index: 0, name: "__proto__", value: 1 }], "template.data[0].name"],
  ];

  for (const [data, field] of cases) {
    assertTemplateField({ template: { data } }, field, JSON.stringify(data));
  }
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});

Deno.test("parseRequestBody reads a Collection+JSON template", async () => {
  const body = template([
    { name: "type", value: "example.Note" },
    { section: "tags", index: 1, name: "label", value: "b" },
    { section: "tags", index: 0, name: "label", value: "a" },
  ]);

  const object = await parseRequestBody(post(body, CJ));

  assert.deepEqual(object, { type: "example.Note", tags: [{ label: "a" }, { label: "b" }] });
});

Deno.test("parseRequestBody reads a template without Content-Type", async () => {
  const object = await parseRequestBody(post(template([{ name: "text", value: "hi" }]), null));

  assert.deepEqual(object, { text: "hi" });
});

Deno.test("parseRequestBody reads a template for unknown media types", async () => {
  for (const contentType of ["text/plain", "application/xml", "", "garbage"]) {
    const object = await parseRequestBody(
      post(template([{ name: "text", value: "hi" }]), contentType),
    );
    assert.deepEqual(object, { text: "hi" }, contentType);
  }
});

Deno.test("parseRequestBody rejects plain JSON sent as a template", async () => {
  await assertInvalidField(
    parseRequestBody(post('{"type": "example.Note"}', null)),
    "template.data",
  );
});

Deno.test("parseRequestBody reads JSON", async () => {
  const object = await parseRequestBody(
    post('{"type": "example.Note", "text": "hi", "tags": [{"label": "a"}]}', JSON_TYPE),
  );

  assert.deepEqual(object, { type: "example.Note", text: "hi", tags: [{ label: "a" }] });
});

Deno.test("parseRequestBody reads media type parameters and case", async () => {
  for (const contentType of ["application/json; charset=utf-8", "Application/JSON"]) {
    const object = await parseRequestBody(post('{"text": "hi"}', contentType));
    assert.deepEqual(object, { text: "hi" }, contentType);
  }

  const form = await parseRequestBody(post("text=hi", `${FORM_MEDIA_TYPE}; charset=UTF-8`));
  assert.deepEqual(form, { text: "hi" });
});

Deno.test("parseRequestBody reads a one-element JSON array", async () => {
  const object = await parseRequestBody(post('[{"type": "example.Note"}]', JSON_TYPE));

  assert.deepEqual(object, { type: "example.Note" });
});

Deno.test("parseRequestBody rejects JSON that is not one object", async () => {
  const bodies = ["[]", '[{"a": 1}, {"b": 2}]', '"text"', "3", "null", "[1]", "true"];

  for (const body of bodies) {
    await assertInvalidField(parseRequestBody(post(body, JSON_TYPE)), "(body)", body);
  }
});

Deno.test("parseRequestBody reads a form with repeated keys", async () => {
  const object = await parseRequestBody(
    post(
      "type=example.Note&keywords=a&keywords=b&keywords=c&text=hi+there&empty=",
      FORM_MEDIA_TYPE,
    ),
  );

  assert.deepEqual(object, {
    type: "example.Note",
    keywords: ["a", "b", "c"],
    text: "hi there",
    empty: "",
  });
});

Deno.test("parseRequestBody reads an empty form", async () => {
  assert.deepEqual(await parseRequestBody(post("", FORM_MEDIA_TYPE)), {});
  assert.deepEqual(await parseRequestBody(post(null, FORM_MEDIA_TYPE)), {});
});

Deno.test("parseRequestBody rejects malformed JSON", async () => {
  for (const contentType of [JSON_TYPE, CJ]) {
    for (const body of ["{", '{"a": }', "{'a': 1}", "[1,]", "undefined"]) {
      await assertInvalidField(
        parseRequestBody(post(body, contentType)),
        "(body)",
        `${contentType}: ${body}`,
      );
    }
  }
});

Deno.test("parseRequestBody keeps body text out of JSON errors", async () => {
  const bodies = [
    '{"password": hunter2}',
    `{"password": hunter2, "padding": "${"x".repeat(200)}"}`,
    `{"padding": "${"x".repeat(200)}", "password": hunter2}`,
    "hunter2",
    '{"password": "hunter2',
  ];

  for (const body of bodies) {
    await assert.rejects(parseRequestBody(post(body, JSON_TYPE)), (error: unknown) => {
      assert.ok(error instanceof InvalidObjectError);
      assert.equal(error.field, "(body)");
      assert.equal(error.message.includes("unter2"), false, error.message);
      return true;
    }, body.slice(0, 40));
  }
});

Deno.test("parseRequestBody rejects an empty body", async () => {
  for (const contentType of [JSON_TYPE, CJ, null]) {
    await assertInvalidField(parseRequestBody(post(null, contentType)), "(body)", `${contentType}`);
    await assertInvalidField(
      parseRequestBody(post(" \n\t", contentType)),
      "(body)",
      `${contentType}: whitespace`,
    );
  }
});

Deno.test("parseRequestBody rejects a body that is not UTF-8", async () => {
  const invalid = new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]);

  for (const contentType of [JSON_TYPE, CJ, FORM_MEDIA_TYPE]) {
    await assertInvalidField(parseRequestBody(post(invalid, contentType)), "(body)", contentType);
  }
});

Deno.test("parseRequestBody rejects JSON nested too deeply", async () => {
  const nested = (depth: number) => "[".repeat(depth) + "]".repeat(depth);
  const objects = (depth: number) => '{"a":'.repeat(depth) + "1" + "}".repeat(depth);

  await assertInvalidField(
    parseRequestBody(post(`{"a": ${nested(3)}}`, JSON_TYPE), { maxDepth: 3 }),
    "a[0][0]",
  );
  await assertInvalidField(
    parseRequestBody(post(objects(4), JSON_TYPE), { maxDepth: 3 }),
    "a.a.a",
  );
  await assertInvalidField(
    parseRequestBody(post(`{"x": ${nested(40)}}`, JSON_TYPE)),
    `x${"[0]".repeat(31)}`,
  );
});

Deno.test("parseRequestBody accepts JSON nested up to the limit", async () => {
  const object = await parseRequestBody(post('{"a": {"b": [1]}}', JSON_TYPE), { maxDepth: 3 });

  assert.deepEqual(object, { a: { b: [1] } });
});

Deno.test("parseRequestBody checks the depth of templates", async () => {
  const deep = template([{ name: "extra", value: [[[[1]]]] }]);

  await assertInvalidField(
    parseRequestBody(post(deep, CJ), { maxDepth: 5 }),
    "template.data[0].value[0]",
  );
});

Deno.test("parseRequestBody rejects a body over the declared limit", async () => {
  const request = post('{"text": "hi"}', JSON_TYPE, { "content-length": "2048" });

  await assert.rejects(parseRequestBody(request, { maxBytes: 1024 }), (error: unknown) => {
    assert.ok(error instanceof BodyTooLargeError);
    assert.equal(error.maxBytes, 1024);
    assert.equal(error.name, "BodyTooLargeError");
    assert.match(error.message, /1024 bytes/);
    return true;
  });
  assert.equal(request.bodyUsed, false, "the body is not read");
});

Deno.test("parseRequestBody rejects an oversized body without Content-Length", async () => {
  const request = post(streamOf(4096, 512), JSON_TYPE);
  assert.equal(request.headers.get("content-length"), null);

  await assert.rejects(parseRequestBody(request, { maxBytes: 1000 }), (error: unknown) => {
    assert.ok(error instanceof BodyTooLargeError);
    assert.equal(error.maxBytes, 1000);
    return true;
  });
});

Deno.test("parseRequestBody rejects a body larger than its Content-Length", async () => {
  const request = post(`{"text": "${"a".repeat(2000)}"}`, JSON_TYPE, {
    "content-length": "10",
  });

  await assert.rejects(parseRequestBody(request, { maxBytes: 1000 }), BodyTooLargeError);
});

Deno.test("parseRequestBody applies a 1 MiB default limit", async () => {
  const limit = 1024 * 1024;

  await assert.rejects(
    parseRequestBody(post(streamOf(limit + 1, 64 * 1024), JSON_TYPE)),
    (error: unknown) => error instanceof BodyTooLargeError && error.maxBytes === limit,
  );
  await assert.rejects(
    parseRequestBody(post("{}", JSON_TYPE, { "content-length": String(limit + 1) })),
    BodyTooLargeError,
  );
});

Deno.test("parseRequestBody accepts a body at the limit", async () => {
  const body = '{"text": "hi"}';

  const object = await parseRequestBody(post(body, JSON_TYPE), { maxBytes: body.length });

  assert.deepEqual(object, { text: "hi" });
});

Deno.test("parseRequestBody rejects prototype-polluting JSON keys", async () => {
  const cases: [string, string][] = [
    ['{"__proto__": {"polluted": true}}', "__proto__"],
    ['{"constructor": {"prototype": {"polluted": true}}}', "constructor"],
    ['{"a": {"prototype": 1}}', "a.prototype"],
    ['{"a": [{"b": 1}, {"__proto__": 1}]}', "a[1].__proto__"],
    ['[{"__proto__": 1}]', "[0].__proto__"],
  ];

  for (const [body, field] of cases) {
    await assertInvalidField(parseRequestBody(post(body, JSON_TYPE)), field, body);
  }
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});

Deno.test("parseRequestBody rejects prototype-polluting template keys", async () => {
  await assertInvalidField(
    parseRequestBody(post('{"template": {"data": [], "__proto__": {"polluted": true}}}', CJ)),
    "template.__proto__",
  );
  await assertInvalidField(
    parseRequestBody(post(template([{ name: "a", value: { constructor: 1 } }]), CJ)),
    "template.data[0].value.constructor",
  );
  await assertInvalidField(
    parseRequestBody(post(template([{ name: "__proto__", value: { polluted: true } }]), CJ)),
    "template.data[0].name",
  );
  await assertInvalidField(
    parseRequestBody(post(template([{ section: "constructor", name: "a", value: 1 }]), CJ)),
    "template.data[0].section",
  );
});

Deno.test("parseRequestBody rejects prototype-polluting form keys", async () => {
  for (const key of ["__proto__", "constructor", "prototype"]) {
    await assertInvalidField(
      parseRequestBody(post(`text=hi&${key}=x`, FORM_MEDIA_TYPE)),
      key,
      key,
    );
  }
  await assertInvalidField(
    parseRequestBody(post("%5F%5Fproto%5F%5F=x", FORM_MEDIA_TYPE)),
    "__proto__",
    "percent-encoded",
  );
});

Deno.test("parseRequestBody returns objects with normal prototypes", async () => {
  const object = await parseRequestBody(post('{"text": "hi"}', JSON_TYPE));

  assert.equal(Object.getPrototypeOf(object), Object.prototype);
});
