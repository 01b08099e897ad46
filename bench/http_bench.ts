/**
 * The HTTP benchmarks of `deno task bench`: examples/registry on the embedded store and on
 * MongoDB (FerretDB), the hand-written floor (bench/floor_server.ts) and the Python original
 * (heaserver-registry), all on loopback and on the same data, loaded by wrk. It also runs the
 * micro benchmarks (`deno bench`) and writes everything to docs/benchmarks.md.
 *
 * Usage: `deno run -A bench/http_bench.ts [--warmup S] [--duration S] [--rounds N] [--quick]`;
 * `--help` lists every option.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { CALLER, COMPONENTS, dropMongo, loadMongo, loadSqlite, PROPERTIES } from "./dataset.ts";
import { FILES_COLLECTION } from "./content_server.ts";
import { firstOutputLine, importMapVersion, type Machine, readMachine } from "./machine.ts";
import {
  installPythonRegistry,
  pythonRegistryVersions,
  startPythonRegistry,
} from "./python_registry.ts";
import { type ProfileSummary, summarizeProfile } from "./cpu_profile.ts";
import {
  type BenchReport,
  CONTENDER_LABELS,
  type ContenderKey,
  type LargeRecord,
  type MicroResult,
  type ProfileRecord,
  renderReport,
  type RunRecord,
  type ScenarioKey,
} from "./report.ts";
import {
  delay,
  freePort,
  readCpuSeconds,
  readMemory,
  resetPeakRss,
  type ServerProcess,
  startServer,
} from "./server_process.ts";
import { runWrk } from "./wrk.ts";

const USAGE = `Usage: deno run -A bench/http_bench.ts [options]

Options:
  --warmup S         seconds of load before each measured period (default 5)
  --duration S       seconds of each measured period (default 10)
  --rounds N         measured periods per contender and scenario, taken in turns (default 2)
  --connections N    open connections in scenarios (a), (b) and (c) (default 10)
  --objects N        objects of scenarios (a) to (c) (default 100)
  --large N          objects of scenario (d) (default 10000)
  --content-mb N     megabytes of content in scenario (e) (default 10)
  --output FILE      the report to write (default docs/benchmarks.md)
  --no-micro         skip the micro benchmarks (deno bench)
  --no-python        skip the Python original
  --render           measure nothing: write the report again from the results of the last run,
                     which are kept in HEA_BENCH_STATE_DIR (default /tmp/hea-bench)
  --quick            a short trial run: 1 s warm-up, 2 s periods, 1 round, 1000 large objects,
                     and the report goes to standard output only
  --help             show this text`;

/** The headers that HEA's gateway adds: the caller and the host that clients reach it at. */
const GATEWAY_HEADERS: Readonly<Record<string, string>> = {
  // A HEA system user: heaserver requests no groups from a people service for such a caller. The
  // registry resolves no groups either, so both read only their database.
  "OIDC_CLAIM_sub": CALLER,
  "X-Forwarded-Host": "localhost:8080",
};
const REQUEST_HEADERS: Readonly<Record<string, string>> = {
  ...GATEWAY_HEADERS,
  Accept: "application/vnd.collection+json",
};
const PROPERTY_BODY = '{"type":"heaobject.registry.Property","name":"{name}","value":"bench"}';
const CONTENT_CONNECTIONS = 4;
const LARGE_REQUESTS = 2;
const STARTUP_TRIALS = 3;
/** The results of the last run, which `--render` turns into the report again. */
const LAST_RESULTS = `${Deno.env.get("HEA_BENCH_STATE_DIR") ?? "/tmp/hea-bench"}/last_results.json`;
/** Seconds of load in each profile. */
const PROFILE_SECONDS = 5;
/** How long the Python original may take to list the objects of scenario (d), in milliseconds. */
const PYTHON_LARGE_TIMEOUT_MS = 30_000;
const ROOT = new URL("../", import.meta.url).pathname;

const { values } = parseArgs({
  options: {
    warmup: { type: "string", default: "5" },
    duration: { type: "string", default: "10" },
    rounds: { type: "string", default: "2" },
    connections: { type: "string", default: "10" },
    objects: { type: "string", default: "100" },
    large: { type: "string", default: "10000" },
    "content-mb": { type: "string", default: "10" },
    output: { type: "string", default: "docs/benchmarks.md" },
    "no-micro": { type: "boolean", default: false },
    "no-python": { type: "boolean", default: false },
    quick: { type: "boolean", default: false },
    render: { type: "boolean", default: false },
    help: { type: "boolean", default: false },
  },
});
const stateDir = Deno.env.get("HEA_BENCH_STATE_DIR") ?? "/tmp/hea-bench";
const smallDatabase = "hea_bench_small";
const largeDatabase = "hea_bench_large";
const servers: ServerProcess[] = [];
/** The virtualenv of heaserver-registry, once installed. */
let pythonVenv: string | null = null;
// Set by run(), which alone calls the functions below.
let settings: Settings;
let workDir: string;
let report: BenchReport;

/** The settings of one run, from the command line. */
interface Settings {
  readonly warmupSeconds: number;
  readonly durationSeconds: number;
  readonly rounds: number;
  readonly connections: number;
  readonly objects: number;
  readonly large: number;
  readonly contentBytes: number;
}

// `deno bench` imports every *_bench.ts file, this one included: only `deno run` starts the
// harness, which would otherwise run `deno bench` again from inside it.
if (import.meta.main) {
  await run();
}

async function run(): Promise<void> {
  if (values.help) {
    print(USAGE);
    return;
  }
  if (values.render) {
    report = JSON.parse(await Deno.readTextFile(LAST_RESULTS)) as BenchReport;
    await writeReport(renderReport(report, await readPreservedNotes()));
    print(`Wrote ${values.output} from ${LAST_RESULTS}`);
    return;
  }
  settings = {
    warmupSeconds: values.quick ? 1 : positiveInteger("warmup", values.warmup),
    durationSeconds: values.quick ? 2 : positiveInteger("duration", values.duration),
    rounds: values.quick ? 1 : positiveInteger("rounds", values.rounds),
    connections: positiveInteger("connections", values.connections),
    objects: positiveInteger("objects", values.objects),
    large: values.quick ? 1000 : positiveInteger("large", values.large),
    contentBytes: positiveInteger("content-mb", values["content-mb"]) * 1024 * 1024,
  };
  const runStarted = performance.now();
  workDir = await Deno.makeTempDir({ prefix: "hea_bench_" });
  report = {
    date: new Date().toISOString(),
    machine: await readMachine(),
    loadAtEnd: 0,
    versions: {},
    settings: {
      ...settings,
      contentConnections: CONTENT_CONNECTIONS,
      largeRequests: LARGE_REQUESTS,
    },
    commands: [],
    runs: [],
    large: [],
    startup: {},
    unavailable: [],
    micro: [],
    profiles: [],
    contentSource: "",
    elapsedSeconds: 0,
    notes: [],
  };

  try {
    await main(report.machine, runStarted);
  } finally {
    for (const server of servers) {
      await server.stop().catch((error) => print(`Could not stop ${server.label}: ${error}`));
    }
    await Deno.remove(workDir, { recursive: true }).catch(() => {});
  }
}

async function main(machine: Machine, runStarted: number): Promise<void> {
  print(
    `Machine: ${machine.cores} cores, ${machine.cpuModel}, load ${machine.loadAtStart.toFixed(2)}`,
  );
  await collectVersions();
  if (!values["no-micro"]) {
    report.micro = await runMicroBenchmarks();
  }

  const mongoUrl = await startFerretDb();
  print(`Loading ${settings.objects} and ${settings.large} components into each store`);
  const sqliteSmall = `${workDir}/small.sqlite`;
  const sqliteLarge = `${workDir}/large.sqlite`;
  const ids: Partial<Record<ContenderKey, string[]>> = {};
  ids.ours_sqlite = await loadSqlite(sqliteSmall, settings.objects);
  const sqliteLargeIds = await loadSqlite(sqliteLarge, settings.large);
  let mongoLargeIds: string[] = [];
  if (mongoUrl) {
    ids.ours_mongo = await loadMongo(mongoUrl, smallDatabase, settings.objects);
    ids.floor = ids.ours_mongo;
    ids.python = ids.ours_mongo;
    ids.ours_cached = ids.ours_mongo;
    mongoLargeIds = await loadMongo(mongoUrl, largeDatabase, settings.large);
  }

  // The object of scenario (a) sits in the middle of the collection.
  const onePath = (contender: ContenderKey): string => {
    const list = ids[contender] ?? [];
    return `/${COMPONENTS}/${list[Math.floor(list.length / 2)]}`;
  };

  const contenders = new Map<ContenderKey, ServerProcess>();
  contenders.set(
    "ours_sqlite",
    await startRegistryTimed("ours_sqlite", ["--database", sqliteSmall], onePath("ours_sqlite")),
  );
  if (mongoUrl) {
    contenders.set(
      "ours_mongo",
      await startRegistryTimed(
        "ours_mongo",
        ["--mongodb", `${mongoUrl}${smallDatabase}`],
        onePath("ours_mongo"),
      ),
    );
    contenders.set("floor", await startFloor(`${mongoUrl}${smallDatabase}`, onePath("floor")));
    await checkFloorMatches(contenders, onePath);
    contenders.set(
      "ours_cached",
      await startCachedRegistry(`${mongoUrl}${smallDatabase}`, onePath("ours_cached")),
    );
    if (!values["no-python"]) {
      const python = await startPython(mongoUrl, smallDatabase);
      if (python) {
        contenders.set("python", python);
      }
    }
  } else {
    for (const contender of ["ours_mongo", "ours_cached", "floor", "python"] as const) {
      report.unavailable.push({ contender, reason: "FerretDB could not be started; see above" });
    }
  }

  const scenarioPaths: Record<"a" | "b" | "c", (contender: ContenderKey) => string> = {
    a: onePath,
    b: () => `/${COMPONENTS}`,
    c: () => `/${PROPERTIES}`,
  };
  let pythonListsObjects = false;
  for (const scenario of ["a", "b", "c"] as const) {
    // The cached variant is there to compare reads with the Python original, which caches them.
    const measured = new Map(
      [...contenders].filter(([key]) => scenario !== "c" || key !== "ours_cached"),
    );
    const available = await probeScenario(scenario, measured, scenarioPaths[scenario]);
    if (scenario === "b") {
      pythonListsObjects = available.has("python");
    }
    await measureScenario(scenario, available, scenarioPaths[scenario], settings.connections);
  }

  const python = contenders.get("python");
  if (python) {
    contenders.delete("python");
    await stopServer(python);
  }
  await measureLarge(mongoUrl, sqliteLarge, sqliteLargeIds, mongoLargeIds, pythonListsObjects);
  await measureContent(mongoUrl, contenders, ids);
  await profileMissedTargets(mongoUrl, scenarioPaths);

  report.loadAtEnd = Deno.loadavg()[0] ?? 0;
  report.elapsedSeconds = (performance.now() - runStarted) / 1000;
  await Deno.mkdir(stateDir, { recursive: true });
  await Deno.writeTextFile(LAST_RESULTS, JSON.stringify(report, null, 1));
  const markdown = renderReport(report, values.quick ? "" : await readPreservedNotes());
  if (values.quick) {
    await Deno.stdout.write(new TextEncoder().encode(markdown));
  } else {
    await writeReport(markdown);
    print(`Wrote ${values.output} after ${report.elapsedSeconds.toFixed(0)} s`);
  }

  if (mongoUrl) {
    await dropMongo(mongoUrl, smallDatabase);
    await dropMongo(mongoUrl, largeDatabase);
  }
}

async function collectVersions(): Promise<void> {
  report.versions.deno = `Deno ${Deno.version.deno} (V8 ${Deno.version.v8})`;
  // `wrk --version` prints "wrk debian/4.1.0-3+b2 [epoll] Copyright ..." and exits with 1.
  const wrk = (await firstOutputLine("wrk", ["--version"]))?.split(" ")[1];
  report.versions.wrk = wrk ? `wrk ${wrk}` : "wrk missing: install it with apt-get install wrk";
  // `ferretdb --version` prints "version: v1.24.2" first.
  const ferretdb = (await firstOutputLine("ferretdb", ["--version"]))?.split(" ").at(-1);
  report.versions.ferretdb = `FerretDB ${ferretdb ?? "missing"} (SQLite backend)`;
  report.versions.mongodbDriver = `mongodb ${await importMapVersion("mongodb")} (npm)`;
  report.commands.push(
    "deno task bench",
    ["deno run -A bench/http_bench.ts", ...Deno.args].join(" "),
  );
}

/**
 * Runs the micro benchmarks, the `*_bench.ts` files beside their modules, with `deno bench --json`
 * and returns the results. bench/ is left out because it contains programs that `deno run` starts,
 * whose names also end in `_bench.ts`.
 */
async function runMicroBenchmarks(): Promise<MicroResult[]> {
  print("Running the micro benchmarks (deno bench)");
  report.commands.push("deno bench -A --json --ignore=bench/");
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["bench", "-A", "--json", "--ignore=bench/"],
    cwd: ROOT,
    stdin: "null",
  }).output();
  if (!output.success) {
    const reason = new TextDecoder().decode(output.stderr).trim().split("\n").slice(-5).join(" ");
    print(`deno bench failed, so the report has no micro benchmarks: ${reason}`);
    report.notes.push(`deno bench failed with exit code ${output.code}: ${reason}`);
    return [];
  }
  const parsed = JSON.parse(new TextDecoder().decode(output.stdout)) as {
    benches: {
      origin: string;
      group: string | null;
      name: string;
      results: { ok?: { avg: number; p75: number; p99: number; n: number } }[];
    }[];
  };

  return parsed.benches.map((bench) => {
    const ok = bench.results[0]?.ok;
    return {
      file: bench.origin.replace(`file://${ROOT}`, ""),
      name: bench.name,
      avgNs: ok?.avg ?? Number.NaN,
      p75Ns: ok?.p75 ?? Number.NaN,
      p99Ns: ok?.p99 ?? Number.NaN,
    };
  });
}

/** Starts FerretDB through scripts/start_ferretdb.sh, or returns `null` after noting why not. */
async function startFerretDb(): Promise<string | null> {
  const output = await new Deno.Command("bash", {
    args: [`${ROOT}scripts/start_ferretdb.sh`],
    stdin: "null",
  }).output();
  const url = new TextDecoder().decode(output.stdout).match(/HEA_TEST_MONGODB_URL=(\S+)/)?.[1];
  if (!output.success || !url) {
    const reason = new TextDecoder().decode(output.stderr).trim();
    print(`FerretDB is not available, so the MongoDB contenders are left out: ${reason}`);
    report.notes.push(`FerretDB could not be started: ${reason}`);
    return null;
  }
  report.commands.push("bash scripts/start_ferretdb.sh");

  return url.endsWith("/") ? url : `${url}/`;
}

/** Returns the registry's command line, without the port. */
function registryCommand(storeArguments: readonly string[], profileDir?: string): string[] {
  return [
    Deno.execPath(),
    "run",
    "-A",
    ...(profileDir ? ["--cpu-prof", "--cpu-prof-dir", profileDir] : []),
    `${ROOT}examples/registry/main.ts`,
    ...storeArguments,
  ];
}

async function startRegistry(
  label: string,
  storeArguments: readonly string[],
  readyPath: string,
  profileDir?: string,
): Promise<ServerProcess> {
  const port = freePort();
  const server = await startServer({
    label,
    command: [...registryCommand(storeArguments, profileDir), "--port", String(port)],
    port,
    readyPath,
    headers: REQUEST_HEADERS,
    logFile: `${workDir}/${label}.log`,
  });
  servers.push(server);

  return server;
}

/**
 * Starts the registry {@linkcode STARTUP_TRIALS} times, timing each start up to its first 200 on
 * `readyPath`, and keeps the last one running.
 */
async function startRegistryTimed(
  contender: ContenderKey,
  storeArguments: readonly string[],
  readyPath: string,
): Promise<ServerProcess> {
  report.commands.push(
    `deno run -A examples/registry/main.ts --port PORT ${
      storeArguments.join(" ").replace(workDir, "TMP")
    }`,
  );
  const trials: number[] = [];
  let server: ServerProcess | undefined;
  for (let trial = 0; trial < STARTUP_TRIALS; trial++) {
    if (server) {
      await stopServer(server);
    }
    server = await startRegistry(CONTENDER_LABELS[contender], storeArguments, readyPath);
    trials.push(server.startupMs);
  }
  report.startup[contender] = trials;
  print(
    `${CONTENDER_LABELS[contender]} responded to GET ${readyPath} after ${
      trials.map((ms) => ms.toFixed(0)).join(", ")
    } ms`,
  );

  return server as ServerProcess;
}

async function startFloor(databaseUrl: string, readyPath: string): Promise<ServerProcess> {
  const port = freePort();
  report.commands.push("deno run -A bench/floor_server.ts --port PORT --mongodb URL");
  const server = await startServer({
    label: CONTENDER_LABELS.floor,
    command: [
      Deno.execPath(),
      "run",
      "-A",
      `${ROOT}bench/floor_server.ts`,
      "--port",
      String(port),
      "--mongodb",
      databaseUrl,
    ],
    port,
    readyPath,
    headers: REQUEST_HEADERS,
    logFile: `${workDir}/floor.log`,
  });
  servers.push(server);
  report.startup.floor = [server.startupMs];

  return server;
}

async function startCachedRegistry(
  databaseUrl: string,
  readyPath: string,
  profileDir?: string,
): Promise<ServerProcess> {
  const port = freePort();
  report.commands.push("deno run -A bench/cached_registry.ts --port PORT --mongodb URL");
  const server = await startServer({
    label: CONTENDER_LABELS.ours_cached,
    command: [
      Deno.execPath(),
      "run",
      "-A",
      ...(profileDir ? ["--cpu-prof", "--cpu-prof-dir", profileDir] : []),
      `${ROOT}bench/cached_registry.ts`,
      "--port",
      String(port),
      "--mongodb",
      databaseUrl,
    ],
    port,
    readyPath,
    headers: REQUEST_HEADERS,
    logFile: `${workDir}/cached.log`,
  });
  servers.push(server);
  if (!profileDir) {
    report.startup.ours_cached = [server.startupMs];
  }

  return server;
}

async function stopServer(server: ServerProcess): Promise<void> {
  await server.stop();
  servers.splice(servers.indexOf(server), 1);
}

/**
 * Checks that the floor writes the registry's bytes for scenarios (a) and (b), apart from the
 * request URL in `href`, whose port differs.
 *
 * @throws {Error} at the first differing character, because a floor that writes something else
 * measures something else.
 */
async function checkFloorMatches(
  contenders: Map<ContenderKey, ServerProcess>,
  onePath: (contender: ContenderKey) => string,
): Promise<void> {
  const ours = contenders.get("ours_mongo");
  const floor = contenders.get("floor");
  if (!ours || !floor) {
    return;
  }
  for (const path of [onePath("floor"), `/${COMPONENTS}`]) {
    const expected = (await fetchText(`${ours.url}${path}`)).replaceAll(ours.url, "ORIGIN");
    const actual = (await fetchText(`${floor.url}${path}`)).replaceAll(floor.url, "ORIGIN");
    if (expected !== actual) {
      let index = 0;
      while (expected[index] === actual[index]) {
        index++;
      }
      throw new Error(
        `The floor's GET ${path} differs from the registry's at character ${index}: registry ...${
          expected.slice(Math.max(0, index - 80), index + 80)
        }... floor ...${actual.slice(Math.max(0, index - 80), index + 80)}...`,
      );
    }
    print(`The floor writes the registry's ${expected.length} characters for GET ${path}`);
  }
}

async function startPython(mongoUrl: string, databaseName: string): Promise<ServerProcess | null> {
  try {
    print("Starting heaserver-registry (installing it first if needed)");
    const venv = await installPythonRegistry();
    pythonVenv = venv;
    report.versions.python = await pythonRegistryVersions(venv);
    const server = await startPythonRegistry(venv, { stateDir, mongoUrl, databaseName });
    servers.push(server);
    report.startup.python = [server.startupMs];
    report.commands.push(
      "bash scripts/install_python_registry.sh",
      "HEA_TEST_STATE_DIR=/tmp/hea-bench HEA_TEST_PYTHON_REGISTRY_PORT=0 " +
        `HEA_TEST_PYTHON_REGISTRY_DATABASE=${databaseName} bash scripts/start_python_registry.sh`,
    );
    return server;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    print(`The Python original is left out: ${reason}`);
    report.unavailable.push({ contender: "python", reason });
    return null;
  }
}

/**
 * Sends one request of a scenario to each contender and returns those whose response is correct.
 * The others are recorded as unavailable with their status and, for the Python original, the last
 * error of its log.
 */
async function probeScenario(
  scenario: "a" | "b" | "c",
  contenders: Map<ContenderKey, ServerProcess>,
  pathOf: (contender: ContenderKey) => string,
): Promise<Map<ContenderKey, ServerProcess>> {
  const available = new Map<ContenderKey, ServerProcess>();
  for (const [contender, server] of contenders) {
    const problem = scenario === "c"
      ? await probeCreateDelete(server, pathOf(contender))
      : await probeGet(server, pathOf(contender));
    if (problem === null) {
      available.set(contender, server);
      continue;
    }
    const logged = contender === "python" ? await lastPythonError() : "";
    const reason = `${problem}${logged ? `; its log says: ${logged}` : ""}`;
    print(`${CONTENDER_LABELS[contender]} fails scenario (${scenario}): ${reason}`);
    report.unavailable.push({ contender, scenario, reason });
  }

  return available;
}

async function probeGet(server: ServerProcess, path: string): Promise<string | null> {
  const response = await fetch(`${server.url}${path}`, { headers: REQUEST_HEADERS });
  const body = await response.text();
  if (response.status !== 200) {
    return `GET ${path} returned status ${response.status}`;
  }
  try {
    JSON.parse(body);
  } catch {
    return `GET ${path} returned status 200 with a body that is not JSON`;
  }

  return null;
}

async function probeCreateDelete(server: ServerProcess, path: string): Promise<string | null> {
  const created = await fetch(`${server.url}${path}`, {
    method: "POST",
    headers: { ...REQUEST_HEADERS, "Content-Type": "application/json" },
    body: PROPERTY_BODY.replace("{name}", `bench-probe-${crypto.randomUUID()}`),
  });
  await created.body?.cancel();
  const location = created.headers.get("location");
  if (created.status !== 201 || !location) {
    return `POST ${path} returned status ${created.status}`;
  }
  const objectPath = new URL(location).pathname;
  const deleted = await fetch(`${server.url}${objectPath}`, {
    method: "DELETE",
    headers: REQUEST_HEADERS,
  });
  await deleted.body?.cancel();

  return deleted.status === 204 ? null : `DELETE ${objectPath} returned status ${deleted.status}`;
}

/** Returns the last exception line of the Python registry's log, such as a driver error. */
async function lastPythonError(): Promise<string> {
  try {
    const log = await Deno.readTextFile(`${stateDir}/python_registry.log`);
    const errors = log.split("\n").filter((line) =>
      /^\w[\w.]*(Error|Failure|Exception):/.test(line)
    );
    return errors.at(-1)?.slice(0, 300) ?? "";
  } catch {
    return "";
  }
}

/**
 * Measures one scenario on each contender in turns: every round runs each contender once, so the
 * registry's periods and the floor's alternate and the ratio of each round compares neighbours in
 * time. Each period follows a warm-up on the same contender; the peak RSS is the server's VmHWM
 * over the measured period.
 */
async function measureScenario(
  scenario: ScenarioKey,
  contenders: Map<ContenderKey, ServerProcess>,
  pathOf: (contender: ContenderKey) => string,
  connections: number,
): Promise<void> {
  const order = (["ours_mongo", "floor", "ours_cached", "python", "ours_sqlite"] as const).filter((
    key,
  ) => contenders.has(key));
  for (let round = 1; round <= settings.rounds; round++) {
    for (const contender of order) {
      const server = contenders.get(contender) as ServerProcess;
      const namePrefix = `bench-${scenario}-${round}-${contender}-${Date.now()}`;
      const options = {
        url: `${server.url}${pathOf(contender)}`,
        connections,
        headers: REQUEST_HEADERS,
        ...(scenario === "c" ? { createDelete: { bodyTemplate: PROPERTY_BODY, namePrefix } } : {}),
      };
      // Later rounds find the server warm, so a short warm-up only refills what the other
      // contenders' periods evicted from the CPU caches and the connection pools.
      await runWrk({
        ...options,
        seconds: round === 1 ? settings.warmupSeconds : Math.min(2, settings.warmupSeconds),
        ...(options.createDelete
          ? { createDelete: { ...options.createDelete, namePrefix: `${namePrefix}-warmup` } }
          : {}),
      });
      await resetPeakRss(server.pid);
      const cpuBefore = await readCpuSeconds(server.pid);
      const wrk = await runWrk({ ...options, seconds: settings.durationSeconds });
      const cpuMsPerRequest = (await readCpuSeconds(server.pid) - cpuBefore) * 1000 /
        Math.max(1, wrk.requests);
      const { peakRss } = await readMemory(server.pid);
      report.runs.push({ scenario, contender, round, wrk, peakRss, cpuMsPerRequest });
      print(
        `(${scenario}) round ${round} ${CONTENDER_LABELS[contender]}: ${
          wrk.requestsPerSecond.toFixed(1)
        } req/s, p50 ${wrk.p50Ms.toFixed(2)} ms, p99 ${wrk.p99Ms.toFixed(2)} ms, server CPU ${
          cpuMsPerRequest.toFixed(2)
        } ms/req, peak RSS ${mebibytes(peakRss)} MiB${
          wrk.badStatus + wrk.socketErrors > 0
            ? `, ${wrk.badStatus} bad statuses, ${wrk.socketErrors} socket errors`
            : ""
        }`,
      );
    }
  }
}

/**
 * Measures scenario (d): a listing of every object of the large data set, fetched whole and one
 * request at a time, in turns across contenders. Each request is timed to the first body byte and
 * to the last. The first response of each contender must contain every object.
 */
async function measureLarge(
  mongoUrl: string | null,
  sqliteLarge: string,
  sqliteIds: readonly string[],
  mongoIds: readonly string[],
  withPython: boolean,
): Promise<void> {
  print(`(d) starting the contenders on ${settings.large} objects`);
  const started = new Map<ContenderKey, ServerProcess>();
  const readyPath = (list: readonly string[]) => `/${COMPONENTS}/${list[0]}`;
  started.set(
    "ours_sqlite",
    await startRegistry("ours_sqlite-large", ["--database", sqliteLarge], readyPath(sqliteIds)),
  );
  if (mongoUrl) {
    started.set(
      "ours_mongo",
      await startRegistry(
        "ours_mongo-large",
        ["--mongodb", `${mongoUrl}${largeDatabase}`],
        readyPath(mongoIds),
      ),
    );
    started.set("floor", await startFloor(`${mongoUrl}${largeDatabase}`, readyPath(mongoIds)));
    if (withPython && pythonVenv) {
      const python = await startPythonRegistry(pythonVenv, {
        stateDir,
        mongoUrl,
        databaseName: largeDatabase,
      });
      servers.push(python);
      started.set("python", python);
    } else if (!values["no-python"]) {
      report.unavailable.push({
        contender: "python",
        scenario: "d",
        reason: "not run, because it did not run scenario (b), the same request on fewer objects",
      });
    }
  }

  const records = new Map<ContenderKey, LargeRecord>();
  for (const [contender, server] of started) {
    // The registry's own page of 100 objects, fetched the same way in the same process, is the
    // baseline that shows whether memory grows with the size of a listing.
    let pagePeakRss: number | null = null;
    if (contender === "ours_sqlite" || contender === "ours_mongo") {
      await resetPeakRss(server.pid);
      for (let request = 0; request < LARGE_REQUESTS; request++) {
        await timeDownload(`${server.url}/${COMPONENTS}?end=${settings.objects}`, false);
      }
      pagePeakRss = (await readMemory(server.pid)).peakRss;
    }
    const baseline = await readMemory(server.pid);
    await resetPeakRss(server.pid);
    records.set(contender, {
      contender,
      items: 0,
      bytes: 0,
      idleRss: baseline.rss,
      pagePeakRss,
      ttfbMs: [],
      totalMs: [],
      peakRss: 0,
    });
  }
  // heaserver serves a repeated listing from its cache for 30 s and then builds it again, which
  // took over a minute for 10,000 objects. So it gets one request, after the others' requests,
  // because a cancelled listing keeps it busy for a while and would slow the others.
  const order: ContenderKey[] = [...started.keys()].filter((key) => key !== "python");
  for (let request = 0; request < LARGE_REQUESTS; request++) {
    if (request === LARGE_REQUESTS - 1 && started.has("python")) {
      order.push("python");
    }
    for (const contender of order) {
      const server = started.get(contender) as ServerProcess;
      const record = records.get(contender) as LargeRecord;
      let timing: Download;
      try {
        timing = await timeDownload(
          `${server.url}/${COMPONENTS}`,
          record.items === 0,
          contender === "python" ? PYTHON_LARGE_TIMEOUT_MS : undefined,
        );
      } catch (error) {
        if (contender !== "python" || !(error instanceof DOMException)) {
          throw error;
        }
        report.unavailable.push({
          contender,
          scenario: "d",
          reason: `the listing did not finish within ${
            PYTHON_LARGE_TIMEOUT_MS / 1000
          } s (${error.name}); its peak RSS is up to the time it was cancelled`,
        });
        continue;
      }
      record.ttfbMs.push(timing.ttfbMs);
      record.totalMs.push(timing.totalMs);
      if (record.items === 0) {
        if (timing.items !== settings.large) {
          throw new Error(`${server.label} listed ${timing.items} objects of ${settings.large}`);
        }
        record.items = timing.items;
        record.bytes = timing.bytes;
      }
    }
  }
  for (const [contender, server] of started) {
    const record = records.get(contender) as LargeRecord;
    record.peakRss = (await readMemory(server.pid)).peakRss;
    report.large.push(record);
    print(
      `(d) ${CONTENDER_LABELS[contender]}: first byte ${
        record.ttfbMs.map((ms) => ms.toFixed(0)).join(", ")
      } ms, whole ${record.totalMs.map((ms) => ms.toFixed(0)).join(", ")} ms, ${
        mebibytes(record.bytes)
      } MiB, peak RSS ${mebibytes(record.peakRss)} MiB`,
    );
    await stopServer(server);
  }
}

/**
 * Measures scenario (e): a download of one object's content. examples/registry serves content only
 * when a collection is mounted with `content: true`. Without such a route, bench/content_server.ts
 * replaces it: a service of one content collection, built from the public API.
 */
async function measureContent(
  mongoUrl: string | null,
  contenders: Map<ContenderKey, ServerProcess>,
  ids: Partial<Record<ContenderKey, string[]>>,
): Promise<void> {
  const registry = contenders.get("ours_sqlite") as ServerProcess;
  const probe = await fetch(`${registry.url}/${COMPONENTS}/${ids.ours_sqlite?.[0]}/content`, {
    method: "OPTIONS",
    headers: REQUEST_HEADERS,
  });
  await probe.body?.cancel();
  const registryHasContent = probe.status === 200;

  const content = new Map<ContenderKey, { server: ServerProcess; path: string }>();
  const body = contentBytes(settings.contentBytes);
  if (registryHasContent) {
    report.contentSource = "examples/registry, `GET /components/{id}/content`";
    for (const contender of ["ours_sqlite", "ours_mongo"] as const) {
      const server = contenders.get(contender);
      const id = ids[contender]?.[0];
      if (server && id) {
        const path = `/${COMPONENTS}/${id}/content`;
        await putContent(server, path, body);
        content.set(contender, { server, path });
      }
    }
  } else {
    report.contentSource =
      "bench/content_server.ts (examples/registry has no content route): `GET /files/{id}/content`";
    report.commands.push(
      "deno run -A bench/content_server.ts --port PORT (--database FILE | --mongodb URL)",
    );
    const stores: [ContenderKey, string[]][] = [["ours_sqlite", [
      "--database",
      `${workDir}/content.sqlite`,
    ]]];
    if (mongoUrl) {
      stores.push(["ours_mongo", ["--mongodb", `${mongoUrl}${smallDatabase}`]]);
    }
    for (const [contender, storeArguments] of stores) {
      const server = await startContentServer(contender, storeArguments);
      const path = `${await createFile(server)}/content`;
      await putContent(server, path, body);
      content.set(contender, { server, path });
    }
  }
  const floor = contenders.get("floor");
  const mongoPath = content.get("ours_mongo")?.path;
  if (floor && mongoPath) {
    content.set("floor", { server: floor, path: mongoPath });
  }
  report.unavailable.push({
    contender: "python",
    scenario: "e",
    reason: "heaserver-registry has no content routes",
  });

  for (const [contender, { server, path }] of content) {
    const response = await fetch(`${server.url}${path}`, { headers: GATEWAY_HEADERS });
    const received = (await response.arrayBuffer()).byteLength;
    if (response.status !== 200 || received !== settings.contentBytes) {
      throw new Error(
        `${
          CONTENDER_LABELS[contender]
        } returned status ${response.status} for GET ${path} with ${received} bytes`,
      );
    }
  }
  const byContender = new Map([...content].map(([key, entry]) => [key, entry.server]));
  await measureScenario(
    "e",
    byContender,
    (contender) => content.get(contender)?.path ?? "",
    CONTENT_CONNECTIONS,
  );
}

async function startContentServer(
  contender: ContenderKey,
  storeArguments: readonly string[],
): Promise<ServerProcess> {
  const port = freePort();
  const server = await startServer({
    label: `${CONTENDER_LABELS[contender]}, content service`,
    command: [
      Deno.execPath(),
      "run",
      "-A",
      `${ROOT}bench/content_server.ts`,
      "--port",
      String(port),
      ...storeArguments,
    ],
    port,
    readyPath: `/${FILES_COLLECTION}`,
    headers: REQUEST_HEADERS,
    logFile: `${workDir}/content-${contender}.log`,
  });
  servers.push(server);

  return server;
}

async function createFile(server: ServerProcess): Promise<string> {
  const response = await fetch(`${server.url}/${FILES_COLLECTION}`, {
    method: "POST",
    headers: { ...REQUEST_HEADERS, "Content-Type": "application/json" },
    body: JSON.stringify({ type: "bench.data.File", name: `content-${crypto.randomUUID()}` }),
  });
  await response.body?.cancel();
  const location = response.headers.get("location");
  if (response.status !== 201 || !location) {
    throw new Error(
      `POST /${FILES_COLLECTION} to ${server.label} returned status ${response.status}`,
    );
  }

  return new URL(location).pathname;
}

async function putContent(
  server: ServerProcess,
  objectPath: string,
  body: Uint8Array<ArrayBuffer>,
): Promise<void> {
  const response = await fetch(`${server.url}${objectPath}`, {
    method: "PUT",
    headers: { ...GATEWAY_HEADERS, "Content-Type": "application/octet-stream" },
    body,
  });
  await response.body?.cancel();
  if (response.status >= 300) {
    throw new Error(`PUT ${objectPath} to ${server.label} returned status ${response.status}`);
  }
}

/** Bytes that no layer could compress well, from a fixed linear congruential sequence. */
function contentBytes(length: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(length);
  let state = 12345;
  for (let index = 0; index < length; index++) {
    state = (state * 1103515245 + 12345) >>> 0;
    bytes[index] = state >>> 24;
  }

  return bytes;
}

/**
 * Profiles the registry wherever it missed a throughput target: on MongoDB where it reached less
 * than 80% of the floor or less than 5 times the Python original, and cached where it reached less
 * than 5 times the Python original. Each profile covers a fresh server's start, a 2 s warm-up and
 * {@linkcode PROFILE_SECONDS} s of the scenario's load, and is summarized by where the CPU time
 * went.
 */
async function profileMissedTargets(
  mongoUrl: string | null,
  scenarioPaths: Record<"a" | "b" | "c", (contender: ContenderKey) => string>,
): Promise<void> {
  if (!mongoUrl) {
    return;
  }
  const wanted = new Map<
    string,
    { scenario: "a" | "b" | "c"; contender: ContenderKey; missed: string[] }
  >();
  const want = (scenario: "a" | "b" | "c", contender: ContenderKey, missed: string) => {
    const key = `${scenario} ${contender}`;
    const entry = wanted.get(key) ?? { scenario, contender, missed: [] };
    entry.missed.push(missed);
    wanted.set(key, entry);
  };
  for (const scenario of ["a", "b", "c"] as const) {
    const floorRatio = meanRatio(scenario, "ours_mongo", "floor");
    if (floorRatio !== null && floorRatio < 0.8) {
      want(scenario, "ours_mongo", `${(floorRatio * 100).toFixed(0)}% of the floor`);
    }
    if (scenario === "c") {
      continue;
    }
    for (const contender of ["ours_mongo", "ours_cached"] as const) {
      const pythonRatio = meanRatio(scenario, contender, "python");
      if (pythonRatio !== null && pythonRatio < 5) {
        want(scenario, contender, `${pythonRatio.toFixed(2)}x the Python original`);
      }
    }
  }

  for (const { scenario, contender, missed } of wanted.values()) {
    print(`(${scenario}) profiling ${CONTENDER_LABELS[contender]}: ${missed.join(", ")}`);
    const profileDir = `${workDir}/profile-${scenario}-${contender}`;
    await Deno.mkdir(profileDir);
    const path = scenarioPaths[scenario](contender);
    const databaseUrl = `${mongoUrl}${smallDatabase}`;
    const server = contender === "ours_cached"
      ? await startCachedRegistry(databaseUrl, path, profileDir)
      : await startRegistry(
        `${contender}-profile-${scenario}`,
        ["--mongodb", databaseUrl],
        path,
        profileDir,
      );
    const load = {
      url: `${server.url}${path}`,
      connections: settings.connections,
      headers: REQUEST_HEADERS,
      ...(scenario === "c"
        ? {
          createDelete: { bodyTemplate: PROPERTY_BODY, namePrefix: `bench-profile-${Date.now()}` },
        }
        : {}),
    };
    await runWrk({ ...load, seconds: Math.min(2, settings.warmupSeconds) });
    await runWrk({ ...load, seconds: Math.min(PROFILE_SECONDS, settings.durationSeconds) });
    await stopServer(server);
    await delay(100);
    const [file] = [...Deno.readDirSync(profileDir)].filter((entry) =>
      entry.name.endsWith(".cpuprofile")
    );
    if (!file) {
      report.notes.push(
        `The profile of ${CONTENDER_LABELS[contender]} in scenario (${scenario}) was not written.`,
      );
      continue;
    }
    const summary: ProfileSummary = await summarizeProfile(`${profileDir}/${file.name}`, 12);
    const record: ProfileRecord = { scenario, contender, missed, summary };
    report.profiles.push(record);
  }
}

/** Returns the mean over rounds of contender `a`'s throughput divided by `b`'s in the same round. */
function meanRatio(scenario: ScenarioKey, a: ContenderKey, b: ContenderKey): number | null {
  const ratios: number[] = [];
  for (let round = 1; round <= settings.rounds; round++) {
    const first = report.runs.find((run: RunRecord) =>
      run.scenario === scenario && run.contender === a && run.round === round
    );
    const second = report.runs.find((run: RunRecord) =>
      run.scenario === scenario && run.contender === b && run.round === round
    );
    if (first && second && second.wrk.requestsPerSecond > 0) {
      ratios.push(first.wrk.requestsPerSecond / second.wrk.requestsPerSecond);
    }
  }

  return ratios.length > 0 ? ratios.reduce((sum, value) => sum + value, 0) / ratios.length : null;
}

async function fetchText(url: string): Promise<string> {
  const response = await fetch(url, { headers: REQUEST_HEADERS });
  const text = await response.text();
  if (response.status !== 200) {
    throw new Error(`GET ${url} returned status ${response.status}: ${text.slice(0, 200)}`);
  }

  return text;
}

/** The timing of one download, and with `count`, the size and items of the listing. */
interface Download {
  readonly ttfbMs: number;
  readonly totalMs: number;
  /** The body's size in bytes. */
  readonly bytes: number;
  /** The items of the Collection+JSON listing; 0 unless counted. */
  readonly items: number;
}

/**
 * Times a GET to its first body byte and to its last. With `count`, it also keeps the body and,
 * after the timing ends, counts the listing's items.
 *
 * @throws {DOMException} when `timeoutMs` passes before the body ends.
 */
async function timeDownload(url: string, count: boolean, timeoutMs?: number): Promise<Download> {
  const started = performance.now();
  const response = await fetch(url, {
    headers: REQUEST_HEADERS,
    ...(timeoutMs === undefined ? {} : { signal: AbortSignal.timeout(timeoutMs) }),
  });
  if (response.status !== 200 || !response.body) {
    throw new Error(`GET ${url} returned status ${response.status}`);
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  let chunk = await reader.read();
  const ttfbMs = performance.now() - started;
  while (!chunk.done) {
    bytes += chunk.value.length;
    if (count) {
      chunks.push(chunk.value);
    }
    chunk = await reader.read();
  }
  const totalMs = performance.now() - started;

  let items = 0;
  if (count) {
    const text = await new Blob(chunks as BlobPart[]).text();
    const [document] = JSON.parse(text) as { collection: { items?: unknown[] } }[];
    items = document?.collection.items?.length ?? 0;
  }

  return { ttfbMs, totalMs, bytes, items };
}

/** Writes the report and formats it with `deno fmt`, which `deno task check` requires. */
async function writeReport(markdown: string): Promise<void> {
  const path = `${ROOT}${values.output}`;
  await Deno.writeTextFile(path, markdown);
  const formatted = await new Deno.Command(Deno.execPath(), {
    args: ["fmt", "--quiet", path],
    cwd: ROOT,
    stdin: "null",
  }).output();
  if (!formatted.success) {
    throw new Error(`deno fmt ${path} failed: ${new TextDecoder().decode(formatted.stderr)}`);
  }
}

/** Returns the text kept between the notes markers of the current report, so reruns keep it. */
async function readPreservedNotes(): Promise<string> {
  try {
    const current = await Deno.readTextFile(`${ROOT}${values.output}`);
    return current.match(/<!-- notes:start -->\n([\s\S]*?)<!-- notes:end -->/)?.[1] ?? "";
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      return "";
    }
    throw error;
  }
}

function positiveInteger(name: string, value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) {
    print(`Invalid --${name} ${JSON.stringify(value)}: use a positive integer\n\n${USAGE}`);
    Deno.exit(2);
  }

  return number;
}

function mebibytes(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1);
}

/** Prints progress on standard error, so standard output contains only a `--quick` report. */
function print(message: string): void {
  Deno.stderr.writeSync(new TextEncoder().encode(`${message}\n`));
}
