import assert from "node:assert/strict";
import { readConfigValue, requireConfigValue } from "./secret_config.ts";

function sources(variables: Record<string, string>, files: Record<string, string> = {}) {
  return {
    env: (name: string) => variables[name],
    readTextFile: (path: string) => {
      const text = files[path];
      return text === undefined
        ? Promise.reject(new Deno.errors.NotFound(`No such file ${path}`))
        : Promise.resolve(text);
    },
  };
}

Deno.test("readConfigValue reads the variable", async () => {
  assert.equal(await readConfigValue("HEA_X", sources({ HEA_X: "value" })), "value");
});

Deno.test("readConfigValue reads the _FILE variable", async () => {
  const result = await readConfigValue(
    "HEA_X",
    sources({ HEA_X_FILE: "/secrets/x" }, { "/secrets/x": "from-file\r\n" }),
  );

  assert.equal(result, "from-file");
});

Deno.test("readConfigValue keeps inner line breaks", async () => {
  const result = await readConfigValue(
    "HEA_X",
    sources({ HEA_X_FILE: "/secrets/x" }, { "/secrets/x": "line1\nline2\n" }),
  );

  assert.equal(result, "line1\nline2");
});

Deno.test("readConfigValue treats empty variables as unset", async () => {
  assert.equal(await readConfigValue("HEA_X", sources({ HEA_X: "" })), undefined);
  assert.equal(await readConfigValue("HEA_X", sources({ HEA_X: "", HEA_X_FILE: "" })), undefined);
});

Deno.test("readConfigValue rejects both variables", async () => {
  await assert.rejects(
    readConfigValue("HEA_X", sources({ HEA_X: "a", HEA_X_FILE: "/secrets/x" })),
    /Both HEA_X and HEA_X_FILE are set/,
  );
});

Deno.test("readConfigValue names a missing file without its contents", async () => {
  const error = await readConfigValue("HEA_X", sources({ HEA_X_FILE: "/secrets/missing" })).then(
    () => undefined,
    (reason: unknown) => reason,
  );

  assert.ok(error instanceof Error);
  assert.match(error.message, /HEA_X_FILE file \/secrets\/missing/);
  assert.ok(error.cause instanceof Deno.errors.NotFound);
});

Deno.test("readConfigValue rejects an empty file", async () => {
  await assert.rejects(
    readConfigValue("HEA_X", sources({ HEA_X_FILE: "/secrets/x" }, { "/secrets/x": "\n" })),
    /is empty/,
  );
});

Deno.test("readConfigValue rejects invalid names", async () => {
  await assert.rejects(readConfigValue("HEA-X", sources({})), TypeError);
  await assert.rejects(readConfigValue("", sources({})), TypeError);
});

Deno.test("readConfigValue reads a real file", async () => {
  const path = await Deno.makeTempFile();
  try {
    await Deno.writeTextFile(path, "on-disk\n");
    const result = await readConfigValue("HEA_X", {
      env: (name) => (name === "HEA_X_FILE" ? path : undefined),
    });

    assert.equal(result, "on-disk");
  } finally {
    await Deno.remove(path);
  }
});

Deno.test("requireConfigValue names both variables", async () => {
  await assert.rejects(requireConfigValue("HEA_X", sources({})), /set HEA_X, or HEA_X_FILE/);
  assert.equal(await requireConfigValue("HEA_X", sources({ HEA_X: "v" })), "v");
});
