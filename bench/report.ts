/**
 * The Markdown report of the HTTP benchmarks, docs/benchmarks.md: the results of one run, the
 * targets they meet or miss, and how the run was made.
 *
 * @module
 */

import type { ProfileSummary } from "./cpu_profile.ts";
import type { Machine } from "./machine.ts";
import type { WrkResult } from "./wrk.ts";

/** The scenarios loaded by wrk; (d) is timed request by request instead. */
export type ScenarioKey = "a" | "b" | "c" | "e";

/** The servers under test. */
export type ContenderKey = "ours_sqlite" | "ours_mongo" | "ours_cached" | "floor" | "python";

/** The contenders' names in the report. */
export const CONTENDER_LABELS: Readonly<Record<ContenderKey, string>> = {
  ours_sqlite: "registry, embedded store",
  ours_mongo: "registry, MongoDB",
  ours_cached: "registry, MongoDB, cached",
  floor: "floor",
  python: "heaserver-registry (Python)",
};

/** The scenarios' names in the report. */
export const SCENARIO_TITLES: Readonly<Record<ScenarioKey | "d", string>> = {
  a: "(a) GET one object",
  b: "(b) GET all of 100 objects",
  c: "(c) POST then DELETE",
  d: "(d) GET all of 10,000 objects",
  e: "(e) GET 10 MB of content",
};

/** One measured period of one contender in one scenario. */
export interface RunRecord {
  readonly scenario: ScenarioKey;
  readonly contender: ContenderKey;
  /** The round, from 1; each round measures every contender once. */
  readonly round: number;
  readonly wrk: WrkResult;
  /** The server's VmHWM over the measured period, in bytes. */
  readonly peakRss: number;
  /** CPU time of the server process per request over the measured period, in milliseconds. */
  readonly cpuMsPerRequest: number;
}

/** Scenario (d) on one contender. */
export interface LargeRecord {
  readonly contender: ContenderKey;
  /** Items in the listing, counted in the first response. */
  items: number;
  /** The size of the listing in bytes. */
  bytes: number;
  /** VmRSS before the first request, in bytes. */
  readonly idleRss: number;
  /**
   * VmHWM in bytes over requests for the first 100 objects (`?end=100`), sent to the same process
   * just before. It is `null` for contenders that do not paginate.
   */
  readonly pagePeakRss: number | null;
  /** Milliseconds to the first body byte, per request. */
  readonly ttfbMs: number[];
  /** Milliseconds to the last body byte, per request. */
  readonly totalMs: number[];
  /** VmHWM over the requests, in bytes. */
  peakRss: number;
}

/** One micro benchmark of `deno bench --json`, in nanoseconds per iteration. */
export interface MicroResult {
  readonly file: string;
  readonly name: string;
  readonly avgNs: number;
  readonly p75Ns: number;
  readonly p99Ns: number;
}

/** A CPU profile of the registry in a scenario where it missed a throughput target. */
export interface ProfileRecord {
  readonly scenario: ScenarioKey;
  readonly contender: ContenderKey;
  /** The missed targets, as measured, such as `0.41x the Python original`. */
  readonly missed: readonly string[];
  readonly summary: ProfileSummary;
}

/** A contender that could not be measured, in one scenario or in all. */
export interface Unavailable {
  readonly contender: ContenderKey;
  readonly scenario?: ScenarioKey | "d";
  readonly reason: string;
}

/** Everything one run measured and how. */
export interface BenchReport {
  readonly date: string;
  readonly machine: Machine;
  /** The 1-minute load average after the last measurement. */
  loadAtEnd: number;
  readonly versions: Record<string, string>;
  readonly settings: {
    readonly warmupSeconds: number;
    readonly durationSeconds: number;
    readonly rounds: number;
    readonly connections: number;
    readonly objects: number;
    readonly large: number;
    readonly contentBytes: number;
    readonly contentConnections: number;
    readonly largeRequests: number;
  };
  readonly commands: string[];
  readonly runs: RunRecord[];
  readonly large: LargeRecord[];
  /** Milliseconds from spawn to the first 200, per start. */
  readonly startup: Partial<Record<ContenderKey, number[]>>;
  readonly unavailable: Unavailable[];
  micro: MicroResult[];
  readonly profiles: ProfileRecord[];
  /** The service that scenario (e) measured. */
  contentSource: string;
  elapsedSeconds: number;
  /** Problems met during the run that the reader should know about. */
  notes: string[];
}

const FLOOR_SHARE_TARGET = 0.8;
const PYTHON_RATIO_TARGET = 5;
const LARGE_RSS_MARGIN_BYTES = 50 * 1024 * 1024;
const STARTUP_TARGET_MS = 500;

/**
 * Renders the report. `preservedNotes` is the hand-written analysis between the notes markers of
 * the previous report, which a rerun keeps.
 */
export function renderReport(report: BenchReport, preservedNotes: string): string {
  const lines: string[] = [];
  const s = report.settings;
  lines.push(
    "# Benchmarks",
    "",
    "How fast examples/registry serves on @hea/server, against a hand-written floor on the same",
    "MongoDB commands and against the Python original, heaserver-registry. `deno task bench` writes",
    "this page: everything down to the analysis comes from one run, made on",
    `${report.date.slice(0, 16).replace("T", " ")} UTC in ${report.elapsedSeconds.toFixed(0)} s.`,
    "Absolute numbers drift between runs on a shared 2-core machine, so the targets are judged on",
    "ratios of periods that were measured in turns.",
    "",
    "## Targets",
    "",
    "| target | measured | result |",
    "| --- | --- | --- |",
    ...targetRows(report),
    "",
    "## Throughput and latency",
    "",
    `wrk, 1 thread, ${s.connections} connections (${s.contentConnections} in (e)); each period is`,
    `${s.durationSeconds} s after a ${s.warmupSeconds} s warm-up on the same server. Rounds run every`,
    "contender once, in the order of the table, so each contender's periods alternate with the",
    "others'. Latencies are the mean over rounds of each period's percentile. Server CPU is the",
    "CPU time of the server process (all threads, from /proc/PID/stat) per request, which leaves",
    "out FerretDB's share; peak RSS is the highest VmHWM of the server over a measured period.",
    "",
  );
  for (const scenario of ["a", "b", "c", "e"] as const) {
    lines.push(...scenarioTable(report, scenario), "");
  }
  lines.push(
    "In (c) every request is either a POST or a DELETE of the object the previous POST created,",
    "so objects created and deleted per second are half the requests per second.",
    `(e) measured ${report.contentSource}.`,
    "",
    "## Ratios",
    "",
    "Throughput of the registry on MongoDB, uncached or cached, divided by the other contender's,",
    "per round and as the mean of the rounds. The cached registry ran (a) and (b) only.",
    "",
    "| scenario | over the floor | mean | over Python | mean | cached over Python | mean |",
    "| --- | --- | --- | --- | --- | --- | --- |",
    ...(["a", "b", "c", "e"] as const).map((scenario) => {
      const cells = [SCENARIO_TITLES[scenario]];
      for (
        const [a, b] of [
          ["ours_mongo", "floor"],
          ["ours_mongo", "python"],
          ["ours_cached", "python"],
        ] as const
      ) {
        const ratios = roundRatios(report, scenario, a, b);
        cells.push(formatList(ratios, 2), formatMean(ratios, 2));
      }
      return `| ${cells.join(" | ")} |`;
    }),
    "",
    `## ${SCENARIO_TITLES.d}`,
    "",
    `Each contender is sent ${s.largeRequests} requests, one at a time and in turns, timed to the`,
    `first body byte and to the last; the first response must contain all ${s.large} objects. The`,
    "Python original gets only the first request, because it serves a repeat from its cache for",
    "30 s and then builds the listing again. Peak RSS is VmHWM over these requests. The target",
    "compares it with the peak of scenario (b)'s periods. Those processes had served other",
    "scenarios before and grown their heaps, so a stricter check compares it with the peak over",
    `the same number of requests for the first ${s.objects} objects (\`?end=N\`), sent to the same`,
    "process just before.",
    "",
    "| contender | size MiB | first byte ms | whole ms | RSS before MiB | peak RSS MiB | peak RSS, 100 objects, same process MiB | peak RSS in (b) MiB |",
    "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ...report.large.map((record) =>
      `| ${CONTENDER_LABELS[record.contender]} | ${
        record.items > 0 ? mebibytes(record.bytes) : "-"
      } | ${formatList(record.ttfbMs, 0)} | ${formatList(record.totalMs, 0)} | ${
        mebibytes(record.idleRss)
      } | ${mebibytes(record.peakRss)} | ${formatBytes(record.pagePeakRss)} | ${
        formatBytes(peakOf(report, "b", record.contender))
      } |`
    ),
    "",
    "## Start-up",
    "",
    "Milliseconds from spawning `deno run` to the first 200 response to `GET /components/{id}`, polled",
    "every 5 ms, so the time includes loading the program, opening the store and the first query.",
    "The Python original's time is that of scripts/start_python_registry.sh, which polls every 0.3 s.",
    "",
    "| contender | starts, ms |",
    "| --- | --- |",
    ...(Object.entries(report.startup) as [ContenderKey, number[]][]).map(([contender, trials]) =>
      `| ${CONTENDER_LABELS[contender]} | ${formatList(trials, 0)} |`
    ),
    "",
  );

  lines.push(...unavailableSection(report), ...profileSection(report), ...microSection(report));
  lines.push(
    "## Analysis",
    "",
    "Written by hand after the run above and kept by later runs; check it against the tables when",
    "the numbers change.",
    "",
    "<!-- notes:start -->",
    preservedNotes.trimEnd() || "No analysis yet.",
    "<!-- notes:end -->",
    "",
    ...methodSection(report),
  );

  return lines.join("\n") + "\n";
}

function targetRows(report: BenchReport): string[] {
  const rows: string[] = [];
  for (const scenario of ["a", "b"] as const) {
    const missing = report.unavailable.find((entry) =>
      entry.contender === "python" && (entry.scenario === scenario || entry.scenario === undefined)
    );
    for (const contender of ["ours_mongo", "ours_cached"] as const) {
      const ratio = mean(roundRatios(report, scenario, contender, "python"));
      const result = ratio === null
        ? `not measured: the Python original ${missing ? "fails here (see below)" : "did not run"}`
        : verdict(
          ratio >= PYTHON_RATIO_TARGET,
          `by a factor of ${(PYTHON_RATIO_TARGET / ratio).toFixed(1)}`,
        );
      rows.push(
        `| ${PYTHON_RATIO_TARGET}x the Python original's throughput in ${
          SCENARIO_TITLES[scenario]
        }, ${CONTENDER_LABELS[contender]} | ${
          ratio === null ? "not measured" : `${ratio.toFixed(2)}x`
        } | ${result} |`,
      );
    }
  }
  for (const scenario of ["a", "b", "c", "e"] as const) {
    const ratio = mean(roundRatios(report, scenario, "ours_mongo", "floor"));
    rows.push(
      `| ${FLOOR_SHARE_TARGET * 100}% of the floor's throughput in ${SCENARIO_TITLES[scenario]} | ${
        ratio === null ? "not measured" : `${(ratio * 100).toFixed(0)}%`
      } | ${
        ratio === null ? "not measured" : verdict(
          ratio >= FLOOR_SHARE_TARGET,
          `by ${((FLOOR_SHARE_TARGET - ratio) * 100).toFixed(0)} percentage points`,
        )
      } |`,
    );
  }
  for (const record of report.large) {
    if (record.contender !== "ours_sqlite" && record.contender !== "ours_mongo") {
      continue;
    }
    // The target as set: against the peak of scenario (b)'s periods. The second row is stricter,
    // against 100 objects fetched the same way in the same process.
    const baselines = [
      ["(b)'s peak", peakOf(report, "b", record.contender)],
      ["the same process's peak for 100 objects", record.pagePeakRss],
    ] as const;
    for (const [name, baseline] of baselines) {
      const growth = baseline === null ? null : record.peakRss - baseline;
      rows.push(
        `| ${SCENARIO_TITLES.d}, ${
          CONTENDER_LABELS[record.contender]
        }: peak RSS under ${name} + 50 MiB | ${
          growth === null ? "not measured" : `${signedMebibytes(growth)} MiB`
        } | ${
          growth === null ? "not measured" : verdict(
            growth < LARGE_RSS_MARGIN_BYTES,
            `by ${mebibytes(growth - LARGE_RSS_MARGIN_BYTES)} MiB`,
          )
        } |`,
      );
    }
  }
  for (const contender of ["ours_sqlite", "ours_mongo"] as const) {
    const trials = report.startup[contender];
    const typical = trials ? median(trials) : null;
    rows.push(
      `| first response within ${STARTUP_TARGET_MS} ms of start, ${CONTENDER_LABELS[contender]} | ${
        typical === null ? "not measured" : `${typical.toFixed(0)} ms (median)`
      } | ${
        typical === null ? "not measured" : verdict(
          typical <= STARTUP_TARGET_MS,
          `by ${(typical - STARTUP_TARGET_MS).toFixed(0)} ms`,
        )
      } |`,
    );
  }

  return rows;
}

function verdict(met: boolean, shortfall: string): string {
  return met ? "met" : `**missed** ${shortfall}`;
}

function scenarioTable(report: BenchReport, scenario: ScenarioKey): string[] {
  const runs = report.runs.filter((run) => run.scenario === scenario);
  const contenders = [...new Set(runs.map((run) => run.contender))];
  const lines = [
    `### ${SCENARIO_TITLES[scenario]}`,
    "",
    scenario === "e"
      ? "| contender | req/s per round | req/s mean | MiB/s mean | p50 ms | p99 ms | server CPU ms/req | peak RSS MiB | errors |"
      : "| contender | req/s per round | req/s mean | p50 ms | p99 ms | server CPU ms/req | peak RSS MiB | errors |",
    scenario === "e"
      ? "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
      : "| --- | --- | --- | --- | --- | --- | --- | --- |",
  ];
  if (contenders.length === 0) {
    return [...lines.slice(0, 2), "Not measured.", ""];
  }
  for (const contender of contenders) {
    const own = runs.filter((run) => run.contender === contender);
    const throughput = own.map((run) => run.wrk.requestsPerSecond);
    const errors = own.reduce((sum, run) => sum + run.wrk.badStatus + run.wrk.socketErrors, 0);
    const cells = [
      CONTENDER_LABELS[contender],
      formatList(throughput, 1),
      formatMean(throughput, 1),
    ];
    if (scenario === "e") {
      const rate = (mean(throughput) ?? 0) * report.settings.contentBytes / 1024 / 1024;
      cells.push(rate.toFixed(0));
    }
    cells.push(
      formatMean(own.map((run) => run.wrk.p50Ms), 2),
      formatMean(own.map((run) => run.wrk.p99Ms), 2),
      formatMean(own.map((run) => run.cpuMsPerRequest), 2),
      formatBytes(Math.max(...own.map((run) => run.peakRss))),
      String(errors),
    );
    lines.push(`| ${cells.join(" | ")} |`);
  }

  return lines;
}

function unavailableSection(report: BenchReport): string[] {
  if (report.unavailable.length === 0 && report.notes.length === 0) {
    return [];
  }
  const lines = ["## Not measured", ""];
  for (const entry of report.unavailable) {
    const scope = entry.scenario ? SCENARIO_TITLES[entry.scenario] : "every scenario";
    lines.push(`- ${CONTENDER_LABELS[entry.contender]}, ${scope}: ${entry.reason}`);
  }
  for (const note of report.notes) {
    lines.push(`- ${note}`);
  }
  lines.push("");

  return lines;
}

function profileSection(report: BenchReport): string[] {
  if (report.profiles.length === 0) {
    return [];
  }
  const lines = [
    "## Profiles",
    "",
    "For each throughput target that the registry missed, the harness started it once more under",
    "`deno run --cpu-prof`, sent the scenario's load for 2 s and then for 5 s, and summarized the",
    "profile with bench/cpu_profile.ts. A profile covers the process from start to stop. Shares",
    "are of the busy time, in which the process ran code, and count each function's own time, not",
    "its callees'. A process that was busy for much less than its life waited on something else,",
    "such as FerretDB.",
    "",
  ];
  for (const profile of report.profiles) {
    lines.push(
      `### ${SCENARIO_TITLES[profile.scenario]}, ${CONTENDER_LABELS[profile.contender]}: ${
        profile.missed.join(", ")
      }`,
      "",
      `Busy ${(profile.summary.busyMs / 1000).toFixed(1)} s of ${
        (profile.summary.wallMs / 1000).toFixed(1)
      } s.`,
      "",
      "| area | share |",
      "| --- | --- |",
      ...profile.summary.areas.filter((area) => area.share >= 0.005).map((area) =>
        `| ${area.name} | ${(area.share * 100).toFixed(1)}% |`
      ),
      "",
      "| function | share |",
      "| --- | --- |",
      ...profile.summary.functions.map((entry) =>
        `| \`${entry.name.replaceAll("|", "\\|")}\` | ${(entry.share * 100).toFixed(1)}% |`
      ),
      "",
    );
  }

  return lines;
}

function microSection(report: BenchReport): string[] {
  if (report.micro.length === 0) {
    return [];
  }

  return [
    "## Micro benchmarks",
    "",
    "`deno bench` over the `*_bench.ts` files beside their modules.",
    "",
    "| file | benchmark | mean | p75 | p99 |",
    "| --- | --- | --- | --- | --- |",
    ...report.micro.map((result) =>
      `| ${result.file} | ${result.name} | ${formatNanoseconds(result.avgNs)} | ${
        formatNanoseconds(result.p75Ns)
      } | ${formatNanoseconds(result.p99Ns)} |`
    ),
    "",
  ];
}

function methodSection(report: BenchReport): string[] {
  const m = report.machine;
  const s = report.settings;

  return [
    "## How the run was made",
    "",
    `- Machine: ${m.cores} cores, ${m.cpuModel}, ${(m.memoryBytes / 1024 ** 3).toFixed(1)} GiB of`,
    `  memory, Linux ${m.kernel}. Load average (1 min) ${
      m.loadAtStart.toFixed(2)
    } at the start and`,
    `  ${report.loadAtEnd.toFixed(2)} at the end: other work shared the cores, and wrk, the server`,
    "  and FerretDB share them too.",
    ...Object.values(report.versions).map((version) => `- ${version}`),
    `- Data: ${s.objects} registry components for (a) to (c) and ${s.large} for (d), each with two`,
    "  resources and a VIEWER share to every user, owned by system|none, in each store: an SQLite",
    "  file for the embedded store and one FerretDB database that the registry on MongoDB, the floor",
    "  and the Python original all read. (c) creates properties; (e) stores",
    `  ${(s.contentBytes / 1024 / 1024).toFixed(0)} MiB of content through PUT.`,
    "- Requests carry `OIDC_CLAIM_sub: system|test`, `X-Forwarded-Host: localhost:8080` and",
    "  `Accept: application/vnd.collection+json`. system|test is one of HEA's system users, and",
    "  heaserver requests no groups from a people service for such a caller. examples/registry",
    "  resolves no groups either.",
    "- heaserver-registry runs through scripts/start_python_registry.sh. Its launcher,",
    "  scripts/python_registry_launcher.py, lets heaserver's permission queries run on FerretDB",
    "  1.24, which rejects `$or` inside `$elemMatch`: it sends them without their `$elemMatch`",
    "  conditions and filters the results in Python with mongoquery. That costs the original time",
    "  that it would not spend on MongoDB, most in listings.",
    "- The floor, bench/floor_server.ts, is `Deno.serve` and the `mongodb` driver with no framework:",
    "  the same MongoDB commands as the registry on FerretDB v1, and the registry's bytes for (a)",
    "  and (b), which the harness checks before measuring.",
    "- Commands:",
    ...[...new Set(report.commands)].map((command) => `  - \`${command}\``),
    "",
  ];
}

/** Returns contender `a`'s throughput over contender `b`'s, per round that measured both. */
function roundRatios(
  report: BenchReport,
  scenario: ScenarioKey,
  a: ContenderKey,
  b: ContenderKey,
): number[] {
  const ratios: number[] = [];
  for (let round = 1; round <= report.settings.rounds; round++) {
    const first = report.runs.find((run) =>
      run.scenario === scenario && run.contender === a && run.round === round
    );
    const second = report.runs.find((run) =>
      run.scenario === scenario && run.contender === b && run.round === round
    );
    if (first && second && second.wrk.requestsPerSecond > 0) {
      ratios.push(first.wrk.requestsPerSecond / second.wrk.requestsPerSecond);
    }
  }

  return ratios;
}

function peakOf(
  report: BenchReport,
  scenario: ScenarioKey,
  contender: ContenderKey,
): number | null {
  const peaks = report.runs
    .filter((run) => run.scenario === scenario && run.contender === contender)
    .map((run) => run.peakRss);

  return peaks.length > 0 ? Math.max(...peaks) : null;
}

function mean(values: readonly number[]): number | null {
  return values.length > 0 ? values.reduce((sum, value) => sum + value, 0) / values.length : null;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);

  return sorted.length % 2 === 1
    ? sorted[middle] as number
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

function formatList(values: readonly number[], digits: number): string {
  return values.length > 0 ? values.map((value) => value.toFixed(digits)).join(", ") : "-";
}

function formatMean(values: readonly number[], digits: number): string {
  const value = mean(values);

  return value === null ? "-" : value.toFixed(digits);
}

function formatBytes(bytes: number | null): string {
  return bytes === null ? "-" : mebibytes(bytes);
}

function mebibytes(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1);
}

function signedMebibytes(bytes: number): string {
  return `${bytes >= 0 ? "+" : ""}${mebibytes(bytes)}`;
}

function formatNanoseconds(ns: number): string {
  if (ns >= 1e6) {
    return `${(ns / 1e6).toFixed(2)} ms`;
  }
  if (ns >= 1e3) {
    return `${(ns / 1e3).toFixed(1)} µs`;
  }

  return `${ns.toFixed(0)} ns`;
}
