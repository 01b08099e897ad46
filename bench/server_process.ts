/**
 * Server processes under test: starting one on a loopback port, timing its first response,
 * reading its memory and CPU time from /proc, and stopping it.
 *
 * @module
 */

/** A server that the harness started and stops. */
export interface ServerProcess {
  /** The contender's label, for messages. */
  readonly label: string;
  /** `http://127.0.0.1:PORT`. */
  readonly url: string;
  /** The process id whose memory is read; the server itself, never a wrapper shell. */
  readonly pid: number;
  /** Milliseconds from spawning the process to the first 200 response to `readyPath`. */
  readonly startupMs: number;
  /** Stops the server with SIGTERM, then SIGKILL after 10 s, and waits for it to exit. */
  stop(): Promise<void>;
}

/** Options of {@linkcode startServer}. */
export interface StartOptions {
  /** The contender's label, for messages. */
  readonly label: string;
  /** The program and its arguments; the port is already among them. */
  readonly command: readonly string[];
  /** The port the program listens on, on 127.0.0.1. */
  readonly port: number;
  /** A path that returns 200 once the server can serve, polled to time the start. */
  readonly readyPath: string;
  /** Headers of the readiness requests. */
  readonly headers: Readonly<Record<string, string>>;
  /** The file that receives the server's standard output and error. */
  readonly logFile: string;
  /** How long to wait for the first 200, in milliseconds. Default 30000. */
  readonly timeoutMs?: number;
  /** Extra environment variables. */
  readonly env?: Readonly<Record<string, string>>;
}

const POLL_INTERVAL_MS = 5;

/**
 * Starts a server and waits until `readyPath` returns 200. The start time is measured from the
 * spawn, so it includes loading the program and opening the database.
 *
 * @throws {Error} when the process exits or does not return 200 within the timeout.
 */
export async function startServer(options: StartOptions): Promise<ServerProcess> {
  const [program, ...args] = options.command;
  if (program === undefined) {
    throw new TypeError(`Empty command for ${options.label}`);
  }
  // Two handles in append mode, because a writable stream takes one writer at a time.
  const stdoutLog = await Deno.open(options.logFile, { write: true, create: true, append: true });
  const stderrLog = await Deno.open(options.logFile, { write: true, append: true });
  const started = performance.now();
  const child = new Deno.Command(program, {
    args,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    env: { ...options.env },
  }).spawn();
  // The copies end, and close the log, when the process closes its pipes.
  const copies = Promise.all([
    child.stdout.pipeTo(stdoutLog.writable),
    child.stderr.pipeTo(stderrLog.writable),
  ]);

  let exited = false;
  const status = child.status.then((result) => {
    exited = true;
    return result;
  });
  const url = `http://127.0.0.1:${options.port}`;
  const deadline = started + (options.timeoutMs ?? 30_000);
  let lastProblem = "no answer yet";
  while (true) {
    if (exited) {
      await copies.catch(() => {});
      throw new Error(
        `${options.label} exited with ${
          (await status).code
        } before answering; see ${options.logFile}`,
      );
    }
    if (performance.now() > deadline) {
      child.kill("SIGKILL");
      await status;
      throw new Error(
        `${options.label} did not return 200 for ${options.readyPath} in time (${lastProblem}); see ${options.logFile}`,
      );
    }
    try {
      const response = await fetch(`${url}${options.readyPath}`, { headers: options.headers });
      await response.body?.cancel();
      if (response.status === 200) {
        break;
      }
      lastProblem = `status ${response.status}`;
    } catch (error) {
      lastProblem = error instanceof Error ? error.message : String(error);
    }
    await delay(POLL_INTERVAL_MS);
  }
  const startupMs = performance.now() - started;

  const stop = async (): Promise<void> => {
    if (!exited) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => {
        if (!exited) {
          child.kill("SIGKILL");
        }
      }, 10_000);
      await status;
      clearTimeout(timer);
    }
    await copies.catch(() => {});
  };

  return { label: options.label, url, pid: child.pid, startupMs, stop };
}

/** Returns a free TCP port on 127.0.0.1, by binding port 0 and closing the listener. */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();

  return port;
}

/** Memory figures of one process, in bytes, from /proc/PID/status. */
export interface MemoryStatus {
  /** VmRSS: the resident set now. */
  readonly rss: number;
  /** VmHWM: the peak resident set since the process started or since {@linkcode resetPeakRss}. */
  readonly peakRss: number;
}

/** Reads VmRSS and VmHWM of a process. */
export async function readMemory(pid: number): Promise<MemoryStatus> {
  const status = await Deno.readTextFile(`/proc/${pid}/status`);

  return { rss: statusField(status, "VmRSS"), peakRss: statusField(status, "VmHWM") };
}

/**
 * Resets VmHWM to the current resident set by writing 5 to /proc/PID/clear_refs (Linux 4.0 and
 * later), so a later VmHWM is the peak of one scenario rather than of the process's whole life.
 */
export async function resetPeakRss(pid: number): Promise<void> {
  await Deno.writeTextFile(`/proc/${pid}/clear_refs`, "5");
}

function statusField(status: string, name: string): number {
  const match = status.match(new RegExp(`^${name}:\\s+(\\d+) kB$`, "m"));
  if (!match?.[1]) {
    throw new Error(`/proc status has no ${name} line`);
  }

  return Number(match[1]) * 1024;
}

/** Waits for `ms` milliseconds. */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

let clockTicksPerSecond: number | undefined;

/**
 * Returns the CPU time that a process has used, user and system, over all its threads, in
 * seconds, from /proc/PID/stat. Its resolution is one clock tick, 10 ms on most Linux systems.
 */
export async function readCpuSeconds(pid: number): Promise<number> {
  if (clockTicksPerSecond === undefined) {
    const output = await new Deno.Command("getconf", { args: ["CLK_TCK"] }).output();
    clockTicksPerSecond = Number(new TextDecoder().decode(output.stdout).trim()) || 100;
  }
  const stat = await Deno.readTextFile(`/proc/${pid}/stat`);
  // The command name in parentheses may hold spaces, so fields are counted after its ")".
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const userTicks = Number(fields[11]);
  const systemTicks = Number(fields[12]);

  return (userTicks + systemTicks) / clockTicksPerSecond;
}
