/**
 * The machine and the versions that a benchmark report names, read from /proc and from the tools
 * themselves.
 *
 * @module
 */

/** The machine the benchmarks ran on. */
export interface Machine {
  /** Logical cores that the harness may use. */
  readonly cores: number;
  /** The CPU model from /proc/cpuinfo. */
  readonly cpuModel: string;
  /** Total memory in bytes. */
  readonly memoryBytes: number;
  /** The kernel release. */
  readonly kernel: string;
  /** The 1-minute load average when the harness started. */
  readonly loadAtStart: number;
}

/** Reads the machine's cores, CPU model, memory, kernel and load. */
export async function readMachine(): Promise<Machine> {
  const cpuinfo = await Deno.readTextFile("/proc/cpuinfo");
  const meminfo = await Deno.readTextFile("/proc/meminfo");
  const memoryKiB = Number(meminfo.match(/^MemTotal:\s+(\d+) kB$/m)?.[1] ?? 0);

  return {
    cores: navigator.hardwareConcurrency,
    cpuModel: cpuinfo.match(/^model name\s*:\s*(.+)$/m)?.[1]?.trim() ?? "unknown",
    memoryBytes: memoryKiB * 1024,
    kernel: Deno.osRelease(),
    loadAtStart: Deno.loadavg()[0] ?? 0,
  };
}

/** Runs a command and returns the first line of its output, or `null` when it cannot run. */
export async function firstOutputLine(
  program: string,
  args: readonly string[],
): Promise<string | null> {
  try {
    const output = await new Deno.Command(program, { args: [...args], stdin: "null" }).output();
    const text = new TextDecoder().decode(output.stdout) + new TextDecoder().decode(output.stderr);
    return text.split("\n").find((line) => line.trim() !== "")?.trim() ?? null;
  } catch {
    return null;
  }
}

/** Returns the version of an npm package in the import map of deno.json, such as `7.9.1`. */
export async function importMapVersion(name: string): Promise<string | null> {
  const config = JSON.parse(await Deno.readTextFile(new URL("../deno.json", import.meta.url))) as {
    imports?: Record<string, string>;
  };
  const specifier = config.imports?.[name];

  return specifier?.match(/@([^@/]+)$/)?.[1] ?? null;
}
