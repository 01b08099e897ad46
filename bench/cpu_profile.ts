/**
 * Summarizes a V8 CPU profile, as `deno run --cpu-prof` writes it, into the functions and the
 * code areas where the sampled time went.
 *
 * Usage: `deno run -A bench/cpu_profile.ts FILE.cpuprofile`
 *
 * @module
 */

/** One node of the call tree in a `.cpuprofile` file. */
interface ProfileNode {
  readonly id: number;
  readonly callFrame: {
    readonly functionName: string;
    readonly url: string;
    readonly lineNumber: number;
  };
}

/** The parts of a `.cpuprofile` file that the summary reads. */
interface CpuProfile {
  /** Microseconds, on the profiler's clock. */
  readonly startTime: number;
  /** Microseconds, on the profiler's clock. */
  readonly endTime: number;
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** Time spent in one function or area, excluding the functions it called. */
export interface SelfTime {
  /** The function as `name file:line`, or the area's name. */
  readonly name: string;
  /** Sampled self time in milliseconds. */
  readonly ms: number;
  /** Share of the busy time, from 0 to 1. */
  readonly share: number;
}

/** The summary of one profile. */
export interface ProfileSummary {
  /** The time that the profile covers, in milliseconds. */
  readonly wallMs: number;
  /** Sampled time in which the process ran code, in milliseconds; idle time is left out. */
  readonly busyMs: number;
  /** The functions with the most self time, most first. */
  readonly functions: readonly SelfTime[];
  /** Self time by area: framework modules, npm packages, Deno's runtime, the garbage collector. */
  readonly areas: readonly SelfTime[];
}

/** Nodes whose samples mean the process waited rather than ran. */
const IDLE_NODES: ReadonlySet<string> = new Set(["(idle)", "(program)"]);

/** Reads a `.cpuprofile` file and returns its `top` functions and every area by self time. */
export async function summarizeProfile(path: string, top = 15): Promise<ProfileSummary> {
  const profile = JSON.parse(await Deno.readTextFile(path)) as CpuProfile;
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const byFunction = new Map<string, number>();
  const byArea = new Map<string, number>();
  let busyMicroseconds = 0;

  profile.samples.forEach((nodeId, index) => {
    const node = nodes.get(nodeId);
    // A sample's time is the delta to the next sample, as Chrome's DevTools counts it.
    const microseconds = profile.timeDeltas[index + 1] ?? 0;
    if (!node || IDLE_NODES.has(node.callFrame.functionName)) {
      return;
    }
    busyMicroseconds += microseconds;
    const name = functionLabel(node);
    byFunction.set(name, (byFunction.get(name) ?? 0) + microseconds);
    const area = areaOf(node);
    byArea.set(area, (byArea.get(area) ?? 0) + microseconds);
  });

  const ranked = (totals: Map<string, number>, limit: number): SelfTime[] =>
    [...totals.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([name, microseconds]) => ({
        name,
        ms: microseconds / 1000,
        share: busyMicroseconds > 0 ? microseconds / busyMicroseconds : 0,
      }));

  return {
    wallMs: (profile.endTime - profile.startTime) / 1000,
    busyMs: busyMicroseconds / 1000,
    functions: ranked(byFunction, top),
    areas: ranked(byArea, byArea.size),
  };
}

function functionLabel(node: ProfileNode): string {
  const frame = node.callFrame;
  const name = frame.functionName || "(anonymous)";
  if (!frame.url) {
    return name;
  }

  return `${name} ${shortUrl(frame.url)}:${frame.lineNumber + 1}`;
}

/** Shortens a module URL to its path in the repository, its npm package, or Deno's module name. */
function shortUrl(url: string): string {
  const npm = url.match(/\/registry\.npmjs\.org\/((?:@[^/]+\/)?[^/]+)\/[^/]+\/(.*)$/);
  if (npm) {
    return `npm:${npm[1]}/${npm[2]}`;
  }
  const repository = url.match(
    /^file:\/\/.*?\/((?:bench|db|http|objects|representors|examples|messaging)\/.*)$/,
  );
  if (repository?.[1]) {
    return repository[1];
  }

  return url;
}

function areaOf(node: ProfileNode): string {
  const { functionName, url } = node.callFrame;
  if (functionName === "(garbage collector)") {
    return "garbage collector";
  }
  const npm = url.match(/\/registry\.npmjs\.org\/((?:@[^/]+\/)?[^/]+)\//);
  if (npm) {
    return `npm:${npm[1]}`;
  }
  const repository = url.match(
    /^file:\/\/.*?\/(bench|db|http|objects|representors|examples|messaging)\//,
  );
  if (repository) {
    return `${repository[1]}/`;
  }
  if (url.startsWith("ext:") || url.startsWith("node:")) {
    return "Deno runtime (ext:, node:)";
  }

  return url ? "other modules" : "V8 built-ins and native code";
}

if (import.meta.main) {
  const [path] = Deno.args;
  if (!path) {
    throw new TypeError("Usage: deno run -A bench/cpu_profile.ts FILE.cpuprofile");
  }
  const summary = await summarizeProfile(path);
  const lines = [
    `busy ${summary.busyMs.toFixed(0)} ms of ${summary.wallMs.toFixed(0)} ms`,
    "",
    "areas:",
  ];
  for (const area of summary.areas) {
    lines.push(`  ${(area.share * 100).toFixed(1).padStart(5)}%  ${area.name}`);
  }
  lines.push("", "functions:");
  for (const entry of summary.functions) {
    lines.push(`  ${(entry.share * 100).toFixed(1).padStart(5)}%  ${entry.name}`);
  }
  await Deno.stdout.write(new TextEncoder().encode(lines.join("\n") + "\n"));
}
