import assert from "node:assert/strict";
import {
  DEFAULT_BROKER_URL,
  DEFAULT_EXCHANGE,
  loadBrokerConfig,
  readBrokerConfig,
} from "./broker_config.ts";

const FULL_INI = `
[DEFAULT]
MessageBrokerEnabled = true

[MessageBroker]
Hostname = 127.0.0.1
Port = 5673
Username = hea
Password = p@ss/word
PublishQueuePersistencePath = /var/lib/hea/outbox.db
PrefetchCount = 20
`;

Deno.test("broker config defaults", () => {
  const config = readBrokerConfig({ env: {} });

  assert.equal(config.enabled, true);
  assert.equal(config.url, DEFAULT_BROKER_URL);
  assert.equal(config.exchange, DEFAULT_EXCHANGE);
  assert.equal(config.exchangeDurable, true);
  assert.equal(config.outboxPath, null);
  assert.equal(config.prefetch, 1);
});

Deno.test("broker config reads the INI section", () => {
  const config = readBrokerConfig({ ini: FULL_INI, env: {} });

  assert.equal(config.url, "amqp://hea:p%40ss%2Fword@127.0.0.1:5673");
  assert.equal(new URL(config.url).password, "p%40ss%2Fword");
  assert.equal(config.outboxPath, "/var/lib/hea/outbox.db");
  assert.equal(config.prefetch, 20);
});

Deno.test("broker config env wins over INI", () => {
  const config = readBrokerConfig({
    ini: FULL_INI,
    env: {
      HEA_AMQP_URL: "amqp://other:secret@127.0.0.1:5674",
      HEA_AMQP_EXCHANGE: "custom",
      HEA_AMQP_EXCHANGE_DURABLE: "false",
      HEA_AMQP_OUTBOX_PATH: "/tmp/other.db",
      HEA_AMQP_PREFETCH: "5",
    },
  });

  assert.equal(config.url, "amqp://other:secret@127.0.0.1:5674");
  assert.equal(config.exchange, "custom");
  assert.equal(config.exchangeDurable, false);
  assert.equal(config.outboxPath, "/tmp/other.db");
  assert.equal(config.prefetch, 5);
});

Deno.test("broker config accepts Python's outbox variable", () => {
  const config = readBrokerConfig({ env: { HEASERVER_MESSAGE_BROKER_QUEUE_PATH: "/tmp/py.db" } });

  assert.equal(config.outboxPath, "/tmp/py.db");
});

Deno.test("broker config ignores empty variables", () => {
  const config = readBrokerConfig({ ini: FULL_INI, env: { HEA_AMQP_URL: "" } });

  assert.equal(config.url, "amqp://hea:p%40ss%2Fword@127.0.0.1:5673");
});

Deno.test("broker config keys are case-insensitive", () => {
  const config = readBrokerConfig({
    ini: "[MessageBroker]\nhostname = 127.0.0.2\nPORT = 5680\n",
    env: {},
  });

  assert.equal(config.url, "amqp://guest:guest@127.0.0.2:5680");
});

Deno.test("broker config falls back to DEFAULT", () => {
  const config = readBrokerConfig({ ini: "[DEFAULT]\nPort = 5690\n[MessageBroker]\n", env: {} });

  assert.equal(config.url, "amqp://guest:guest@localhost:5690");
});

Deno.test("broker config reads MessageBrokerEnabled", () => {
  const disabled = readBrokerConfig({ ini: "[DEFAULT]\nMessageBrokerEnabled = false\n", env: {} });
  const offByEnv = readBrokerConfig({ env: { HEA_AMQP_ENABLED: "no" } });

  assert.equal(disabled.enabled, false);
  assert.equal(offByEnv.enabled, false);
});

Deno.test("broker config rejects invalid values", () => {
  const cases: Array<[string, Record<string, string>, RegExp]> = [
    ["[MessageBroker]\nPort = 70000\n", {}, /Invalid Port "70000"/],
    ["[MessageBroker]\nPort = abc\n", {}, /Invalid Port "abc"/],
    ["", { HEA_AMQP_URL: "http://127.0.0.1" }, /scheme "http:"/],
    ["", { HEA_AMQP_URL: "not a url" }, /Invalid broker URL/],
    ["", { HEA_AMQP_EXCHANGE_DURABLE: "maybe" }, /"maybe": use true or false/],
    ["", { HEA_AMQP_PREFETCH: "0" }, /"0": use a whole number/],
  ];

  for (const [ini, env, message] of cases) {
    assert.throws(() => readBrokerConfig({ ini, env }), message);
  }
});

Deno.test("broker config rejects encrypted passwords", () => {
  assert.throws(
    () => readBrokerConfig({ ini: "[MessageBroker]\nPassword = {crypt}abc\n", env: {} }),
    /\{crypt\} prefix.*HEA_AMQP_URL/,
  );
});

Deno.test("broker config never shows the password", () => {
  try {
    readBrokerConfig({ env: { HEA_AMQP_URL: "http://user:topsecret@127.0.0.1" } });
    assert.fail("expected an error");
  } catch (error) {
    assert.ok(error instanceof Error);
    assert.doesNotMatch(error.message, /topsecret/);
  }
});

Deno.test("broker config loads an INI file", async () => {
  const path = await Deno.makeTempFile({ suffix: ".ini" });
  try {
    await Deno.writeTextFile(path, FULL_INI);

    const config = await loadBrokerConfig({ iniPath: path, env: {} });

    assert.equal(config.prefetch, 20);
  } finally {
    await Deno.remove(path);
  }
});

Deno.test("broker config names a missing file", async () => {
  await assert.rejects(
    loadBrokerConfig({ iniPath: "/nonexistent-hea/service.ini", env: {} }),
    /\/nonexistent-hea\/service\.ini/,
  );
});
