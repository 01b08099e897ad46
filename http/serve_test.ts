// deno-lint-ignore-file no-console -- this test swaps the console methods to prove nothing is logged.
import assert from "node:assert/strict";
import { serve } from "./serve.ts";

Deno.test("serve finishes in-flight requests on shutdown and refuses new ones", async () => {
  let releaseSlowRequest!: () => void;
  const slowRequestReleased = new Promise<void>((resolve) => releaseSlowRequest = resolve);
  let slowRequestStarted!: () => void;
  const started = new Promise<void>((resolve) => slowRequestStarted = resolve);
  let shutdownWorkRan = false;
  const server = serve(async () => {
    slowRequestStarted();
    await slowRequestReleased;
    return new Response("finished");
  }, {
    port: 0,
    handleSignals: false,
    onShutdown: () => {
      shutdownWorkRan = true;
    },
  });

  const inFlight = fetch(server.url);
  await started;
  const stopping = server.shutdown();
  releaseSlowRequest();

  assert.equal(await (await inFlight).text(), "finished");
  await stopping;
  assert.equal(shutdownWorkRan, true);
  await assert.rejects(fetch(server.url));
  await server.finished;
});

Deno.test("serve stops on SIGTERM", async () => {
  const script = `
    import { serve } from "${new URL("./serve.ts", import.meta.url).href}";
    const server = serve(() => new Response("ok"), { port: 0 });
    console.log(server.port);
    await server.finished;
    console.log("stopped");
  `;
  const child = new Deno.Command(Deno.execPath(), {
    args: ["eval", "--quiet", script],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let output = "";
  while (!output.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) break;
    output += value;
  }
  const port = Number(output.trim());

  assert.equal(await (await fetch(`http://127.0.0.1:${port}/`)).text(), "ok");
  child.kill("SIGTERM");
  while (!output.includes("stopped")) {
    const { value, done } = await reader.read();
    if (done) break;
    output += value;
  }
  const status = await child.status;

  assert.match(output, /stopped/);
  assert.equal(status.success, true);
});

Deno.test("an unconfigured library logs nothing", async () => {
  const calls: unknown[] = [];
  const original = {
    log: console.log,
    info: console.info,
    warn: console.warn,
    error: console.error,
    debug: console.debug,
  };
  for (const method of Object.keys(original) as (keyof typeof original)[]) {
    console[method] = (...args: unknown[]) => calls.push(args);
  }
  try {
    const server = serve(() => {
      throw new Error("handler failure");
    }, { port: 0, handleSignals: false });
    const response = await fetch(server.url);
    assert.equal(response.status, 500);
    await response.body?.cancel();
    await server.shutdown();
  } finally {
    Object.assign(console, original);
  }

  assert.deepEqual(calls, []);
});
