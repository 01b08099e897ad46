import assert from "node:assert/strict";
import { configure, type LogRecord, reset } from "@logtape/logtape";
import { Router } from "./router.ts";
import { serve } from "./serve.ts";

Deno.test("service logs its start, stop and failures with the request id", async () => {
  const records: LogRecord[] = [];
  await configure({
    sinks: { memory: (record) => records.push(record) },
    loggers: [
      { category: ["hea"], lowestLevel: "debug", sinks: ["memory"] },
      { category: ["logtape", "meta"], lowestLevel: "warning", sinks: [] },
    ],
    reset: true,
  });
  try {
    const router = new Router().get("/fail", () => {
      throw new Error("database driver exploded");
    });
    const server = serve(router.fetch, { port: 0, handleSignals: false });
    const response = await fetch(`${server.url}/fail`);
    const requestId = response.headers.get("x-request-id") ?? "";
    await response.body?.cancel();
    await server.shutdown();

    const messages = records.map((record) => ({
      level: record.level,
      text: record.message.map(String).join(""),
      properties: record.properties,
    }));
    assert.ok(
      messages.some((message) =>
        message.text.includes("Listening on") && message.text.includes(server.url)
      ),
    );
    assert.ok(messages.some((message) => message.text.includes("Stopped listening")));
    const failures = messages.filter((message) => message.level === "error");
    assert.ok(failures.length > 0);
    assert.ok(failures.every((message) => message.properties.requestId === requestId));
  } finally {
    await reset();
  }
});

Deno.test("HEAD of a document logs no error", async () => {
  const { SqliteDatabase } = await import("../db/mod.ts");
  const { PropertyType, TypeRegistry } = await import("../objects/mod.ts");
  const { mountCollection } = await import("./collection_routes.ts");
  const records: LogRecord[] = [];
  await configure({
    sinks: { memory: (record) => records.push(record) },
    loggers: [
      { category: ["hea"], lowestLevel: "debug", sinks: ["memory"] },
      { category: ["logtape", "meta"], lowestLevel: "warning", sinks: [] },
    ],
    reset: true,
  });
  const database = new SqliteDatabase();
  try {
    const router = await mountCollection(new Router(), {
      collection: "properties",
      type: PropertyType,
      registry: new TypeRegistry([PropertyType]),
      database,
    });
    const server = serve(router.fetch, { port: 0, handleSignals: false });
    const response = await fetch(`${server.url}/properties`, { method: "HEAD" });
    await response.body?.cancel();
    await server.shutdown();

    assert.equal(response.status, 200);
    assert.deepEqual(records.filter((record) => record.level === "error"), []);
  } finally {
    await reset();
    await database.close();
  }
});
