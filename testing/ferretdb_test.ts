import assert from "node:assert/strict";
import { findFerretDbBinary, freeLoopbackPort, startFerretDb } from "./ferretdb.ts";

const binary = findFerretDbBinary();

Deno.test("freeLoopbackPort returns a bindable port", () => {
  const port = freeLoopbackPort();
  const listener = Deno.listen({ hostname: "127.0.0.1", port });

  assert.equal((listener.addr as Deno.NetAddr).port, port);
  listener.close();
});

Deno.test("startFerretDb reports a missing binary", async () => {
  await assert.rejects(
    startFerretDb({ binary: "/nonexistent/ferretdb", startTimeoutMs: 2000 }),
    Deno.errors.NotFound,
  );
});

Deno.test({
  name: "FerretDbServer stops and restarts on one port",
  ignore: binary === null,
  fn: async () => {
    let dataDir = "";
    {
      await using server = await startFerretDb();
      dataDir = server.dataDir;
      assert.equal(server.running, true);
      assert.equal(await accepts(server.port), true);

      await server.stop();
      assert.equal(server.running, false);
      assert.equal(await accepts(server.port), false);

      await server.start();
      assert.equal(await accepts(server.port), true);
    }

    await assert.rejects(Deno.stat(dataDir), Deno.errors.NotFound, "the data directory stayed");
  },
});

Deno.test({
  name: "startFerretDb keeps a given data directory",
  ignore: binary === null,
  fn: async () => {
    const dataDir = await Deno.makeTempDir({ prefix: "hea-ferretdb-test-" });
    try {
      {
        await using _server = await startFerretDb({ dataDir });
      }
      assert.ok((await Deno.stat(dataDir)).isDirectory);
    } finally {
      await Deno.remove(dataDir, { recursive: true });
    }
  },
});

async function accepts(port: number): Promise<boolean> {
  try {
    const connection = await Deno.connect({ hostname: "127.0.0.1", port });
    connection.close();
    return true;
  } catch {
    return false;
  }
}
