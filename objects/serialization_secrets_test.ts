import assert from "node:assert/strict";
import { attribute } from "./attribute.ts";
import { InvalidObjectError } from "./invalid_object_error.ts";
import { defineDesktopObjectType } from "./object_type.ts";
import { parseObject } from "./serialization.ts";
import { TypeRegistry } from "./type_registry.ts";

const Credentials = defineDesktopObjectType({
  name: "example.Credentials",
  displayName: "Credentials",
  attributes: {
    password: attribute.string({ secret: true }),
    passwords: attribute.strings({ secret: true }),
    pin: attribute.integer({ secret: true }),
    rate: attribute.number({ secret: true }),
    expires: attribute.datetime({ secret: true }),
    enabled: attribute.boolean({ secret: true }),
    note: attribute.string(),
  },
});
const registry = new TypeRegistry([Credentials]);

function messageOf(input: Record<string, unknown>): string {
  try {
    parseObject({ type: Credentials.name, ...input }, Credentials, { registry });
  } catch (error) {
    assert.ok(error instanceof InvalidObjectError);
    return error.message;
  }
  assert.fail("expected the input to be rejected");
}

Deno.test("parseObject hides the values of secret attributes", () => {
  const cases: [Record<string, unknown>, string, RegExp][] = [
    [{ password: 73951846 }, "73951846", /^Invalid field password: must be a string, got a number/],
    [
      { passwords: ["ok", 73951846] },
      "73951846",
      /^Invalid field passwords\[1\]: must be a string/,
    ],
    [{ pin: "hunter2" }, "hunter2", /^Invalid field pin: must be a finite number, got a string/],
    [{ pin: 1.73951846 }, "73951846", /^Invalid field pin: must be an integer, got a number/],
    [{ rate: "hunter2" }, "hunter2", /^Invalid field rate: must be a finite number/],
    [{ expires: "hunter2" }, "hunter2", /^Invalid field expires: must be an ISO 8601 date/],
    [{ enabled: "hunter2" }, "hunter2", /^Invalid field enabled: must be true or false/],
  ];

  for (const [input, secret, expected] of cases) {
    const message = messageOf(input);

    assert.match(message, expected);
    assert.ok(!message.includes(secret), `the message shows the secret: ${message}`);
    assert.match(message, /not shown, because the attribute is secret/);
  }
});

Deno.test("parseObject still shows values of other attributes", () => {
  assert.equal(messageOf({ note: 42 }), "Invalid field note: must be a string, got number 42");
});
