import assert from "node:assert/strict";

Deno.test("notes example serves notes and stops on SIGTERM", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL("./main.ts", import.meta.url).pathname],
    env: { PORT: String(port), NOTES_DATABASE: ":memory:" },
    stdout: "null",
    stderr: "null",
  }).spawn();
  const url = `http://127.0.0.1:${port}/notes`;

  try {
    let created: Response | undefined;
    for (let attempt = 0; attempt < 100 && !created; attempt++) {
      try {
        created = await fetch(url, {
          method: "POST",
          headers: { OIDC_CLAIM_sub: "alice", "content-type": "application/json" },
          body: JSON.stringify({ type: "example.note.Note", name: "first", text: "hello" }),
        });
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    assert.equal(created?.status, 201);
    await created?.body?.cancel();

    const listed = await fetch(url, {
      headers: { OIDC_CLAIM_sub: "alice", accept: "application/json" },
    });
    const notes = await listed.json();
    assert.equal(notes.length, 1);
    assert.equal(notes[0].text, "hello");
  } finally {
    child.kill("SIGTERM");
  }
  assert.equal((await child.status).success, true);
});
