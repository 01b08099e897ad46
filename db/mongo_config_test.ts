import assert from "node:assert/strict";
import {
  loadMongoConfig,
  mongoConfigFromIni,
  mongoConfigFromUrl,
  redactConnectionString,
} from "./mongo_config.ts";

Deno.test("mongoConfigFromUrl reads the database from the path", () => {
  assert.deepEqual(mongoConfigFromUrl("mongodb://u:p@h1:1,h2:2/hea?replicaSet=rs"), {
    url: "mongodb://u:p@h1:1,h2:2/hea?replicaSet=rs",
    databaseName: "hea",
  });
  assert.equal(mongoConfigFromUrl("mongodb+srv://cluster.example/app").databaseName, "app");
  assert.equal(mongoConfigFromUrl("mongodb://h/my%2Ddb").databaseName, "my-db");
  assert.equal(mongoConfigFromUrl("mongodb://h/ignored", "chosen").databaseName, "chosen");
});

Deno.test("mongoConfigFromUrl rejects bad input without the password", () => {
  assert.throws(() => mongoConfigFromUrl("postgres://u:pw@h/db"), /mongodb:\/\//);
  assert.throws(() => mongoConfigFromUrl("mongodb://u:pw@h/"), /names no database/);
  assert.throws(() => mongoConfigFromUrl("mongodb://h/a.b"), /Invalid MongoDB database name/);
  assert.throws(() => mongoConfigFromUrl("mongodb://h/%E0%A4%A"), /percent-encoding/);

  try {
    mongoConfigFromUrl("mongodb://u:topsecret@h/");
  } catch (error) {
    assert.equal(String(error).includes("topsecret"), false, "the error shows the password");
  }
});

Deno.test("mongoConfigFromIni reads the MongoDB section", () => {
  const config = mongoConfigFromIni(
    "[DEFAULT]\nRegistry = http://127.0.0.1:8080\n\n[MongoDB]\nconnectionstring = mongodb://u:p@h:27017/hea\n",
  );

  assert.deepEqual(config, { url: "mongodb://u:p@h:27017/hea", databaseName: "hea" });
});

Deno.test("mongoConfigFromIni prefers Name to the URL path", () => {
  const config = mongoConfigFromIni(
    "[MongoDB]\nConnectionString = mongodb://h:27017/fromurl\nName = fromname\n",
  );

  assert.equal(config?.databaseName, "fromname");
});

Deno.test("mongoConfigFromIni keeps # and ; inside values", () => {
  const config = mongoConfigFromIni(
    "# comment\n; another\n[MongoDB]\nConnectionString = mongodb://u:p;a\\b@h/?w=1\nName = a#b;c\n",
  );

  assert.equal(config?.url, "mongodb://u:p;a\\b@h/?w=1");
  assert.equal(config?.databaseName, "a#b;c");
});

Deno.test("mongoConfigFromIni falls back to DEFAULT", () => {
  const config = mongoConfigFromIni("[DEFAULT]\nConnectionString = mongodb://h/shared\n");

  assert.equal(config?.databaseName, "shared");
});

Deno.test("mongoConfigFromIni without a connection string", () => {
  assert.equal(mongoConfigFromIni(""), null);
  assert.equal(mongoConfigFromIni("[MongoDB]\nName = hea\n"), null);
  assert.equal(mongoConfigFromIni("[mongodb]\nConnectionString = mongodb://h/x\n"), null);
});

Deno.test("mongoConfigFromIni rejects encrypted passwords", () => {
  assert.throws(
    () => mongoConfigFromIni("[MongoDB]\nConnectionString = mongodb://u:{crypt}abc@h/hea\n"),
    /cannot decrypt/,
  );
});

Deno.test("loadMongoConfig prefers the environment", async () => {
  const directory = await Deno.makeTempDir();
  const iniFile = `${directory}/hea.ini`;
  await Deno.writeTextFile(
    iniFile,
    "[MongoDB]\nConnectionString = mongodb://ini-host/fromini\nName = ininame\n",
  );

  try {
    const fromEnv = await loadMongoConfig({
      env: () => "mongodb://env-host/fromenv",
      iniFile,
    });
    const envWithoutName = await loadMongoConfig({ env: () => "mongodb://env-host/", iniFile });
    const fromIni = await loadMongoConfig({ env: () => undefined, iniFile });
    const nothing = await loadMongoConfig({ env: () => "" });

    assert.deepEqual(fromEnv, { url: "mongodb://env-host/fromenv", databaseName: "fromenv" });
    assert.deepEqual(envWithoutName, { url: "mongodb://env-host/", databaseName: "ininame" });
    assert.deepEqual(fromIni, { url: "mongodb://ini-host/fromini", databaseName: "ininame" });
    assert.equal(nothing, null);
  } finally {
    await Deno.remove(directory, { recursive: true });
  }
});

Deno.test("loadMongoConfig reports a missing INI file", async () => {
  await assert.rejects(
    loadMongoConfig({ env: () => undefined, iniFile: "/nonexistent/hea.ini" }),
    Deno.errors.NotFound,
  );
});

Deno.test("redactConnectionString hides only the password", () => {
  const cases: [string, string][] = [
    ["mongodb://u:p@h/db", "mongodb://u:***@h/db"],
    ["mongodb://u@h/db", "mongodb://u@h/db"],
    ["mongodb://h1,h2/db?x=a@b", "mongodb://h1,h2/db?x=a@b"],
    ["mongodb://u:p@ss:w@h:1/", "mongodb://u:***@h:1/"],
    ["mongodb://u:p#a/b?c@h/db", "mongodb://u:***@h/db"],
    ["mongodb+srv://u:p@cluster/", "mongodb+srv://u:***@cluster/"],
    ["not a url", "***"],
  ];

  for (const [url, expected] of cases) {
    assert.equal(redactConnectionString(url), expected, url);
  }
});
