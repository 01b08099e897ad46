/**
 * Runs wrk (Debian's `wrk` package, 4.1) against one URL and reads its results. wrk is scripted in
 * Lua, and the scripts are written to a temporary directory from the strings below, so that the
 * repository contains TypeScript only.
 *
 * @module
 */

/** Results of one wrk run. */
export interface WrkResult {
  /** Requests completed in the measured period, whatever their status. */
  readonly requests: number;
  /** The measured period, in seconds, as wrk timed it. */
  readonly seconds: number;
  /** Requests per second. */
  readonly requestsPerSecond: number;
  /** Median latency, in milliseconds. */
  readonly p50Ms: number;
  /** 99th-percentile latency, in milliseconds. */
  readonly p99Ms: number;
  /** Bytes read, headers included. */
  readonly bytes: number;
  /** Responses with a status outside 2xx and 3xx. */
  readonly badStatus: number;
  /** Socket errors: connect, read and write errors and timeouts. */
  readonly socketErrors: number;
}

/** Options of {@linkcode runWrk}. */
export interface WrkOptions {
  /** The URL of the GET requests; for `createDelete`, the collection URL that POST goes to. */
  readonly url: string;
  /** Open connections, kept for the whole run. */
  readonly connections: number;
  /** The length of the run, in seconds. */
  readonly seconds: number;
  /** Headers sent with every request. */
  readonly headers: Readonly<Record<string, string>>;
  /**
   * Alternate POST of a new object (this JSON body, with `{name}` replaced by a unique name) and
   * DELETE of the URL in the `Location` of the last 201, instead of GET.
   */
  readonly createDelete?: { readonly bodyTemplate: string; readonly namePrefix: string };
  /** The request timeout, in seconds. Default 30. */
  readonly timeoutSeconds?: number;
}

/** The line prefix of the JSON that the Lua `done` function prints. */
const RESULT_MARKER = "WRK_RESULT ";

/** Prints the summary as one JSON line; latencies are in microseconds. */
const DONE_LUA = `
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '${RESULT_MARKER}{"requests":%d,"duration_us":%d,"bytes":%d,"status":%d,' ..
    '"socket":%d,"p50_us":%d,"p99_us":%d}\\n',
    summary.requests, summary.duration, summary.bytes, e.status,
    e.connect + e.read + e.write + e.timeout,
    latency:percentile(50.0), latency:percentile(99.0)))
end
`;

/**
 * Sends a POST when no created object waits, else a DELETE of the oldest one, so each connection
 * alternates. wrk runs the script once per thread, and the harness uses one thread, so the queue
 * and the name counter are shared by every connection.
 */
const CREATE_DELETE_LUA = `
local body_template, prefix
local counter = 0
local created = {}

init = function(args)
  prefix = args[1]
  body_template = args[2]
end

local function with_defaults(extra)
  local headers = {}
  for name, value in pairs(wrk.headers) do headers[name] = value end
  for name, value in pairs(extra) do headers[name] = value end
  return headers
end

request = function()
  if #created > 0 then
    return wrk.format("DELETE", table.remove(created, 1), with_defaults({}))
  end
  counter = counter + 1
  local body = string.gsub(body_template, "{name}", prefix .. "-" .. counter)
  return wrk.format("POST", wrk.path, with_defaults({["Content-Type"] = "application/json"}), body)
end

response = function(status, headers, body)
  if status == 201 then
    local location = headers["location"] or headers["Location"]
    local path = location and string.match(location, "^https?://[^/]+(/.*)$")
    if path then table.insert(created, path) end
  end
end
`;

/**
 * Runs wrk with one thread and returns what it measured.
 *
 * @throws {Error} when wrk is missing, fails, or prints no result line.
 */
export async function runWrk(options: WrkOptions): Promise<WrkResult> {
  const directory = await Deno.makeTempDir({ prefix: "hea_bench_wrk_" });
  try {
    const script = `${directory}/script.lua`;
    await Deno.writeTextFile(script, (options.createDelete ? CREATE_DELETE_LUA : "") + DONE_LUA);

    const args = [
      "--threads",
      "1",
      "--connections",
      String(options.connections),
      "--duration",
      `${options.seconds}s`,
      "--timeout",
      `${options.timeoutSeconds ?? 30}s`,
      "--script",
      script,
    ];
    for (const [name, value] of Object.entries(options.headers)) {
      args.push("--header", `${name}: ${value}`);
    }
    args.push(options.url);
    if (options.createDelete) {
      args.push("--", options.createDelete.namePrefix, options.createDelete.bodyTemplate);
    }

    let output: Deno.CommandOutput;
    try {
      output = await new Deno.Command("wrk", { args, stdin: "null" }).output();
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) {
        throw new Error("wrk not found on PATH; install it with: apt-get install wrk", {
          cause: error,
        });
      }
      throw error;
    }
    const stdout = new TextDecoder().decode(output.stdout);
    const line = stdout.split("\n").find((candidate) => candidate.startsWith(RESULT_MARKER));
    if (!output.success || !line) {
      const stderr = new TextDecoder().decode(output.stderr);
      throw new Error(`wrk failed with exit code ${output.code}: ${stderr || stdout}`);
    }

    return parseResult(line.slice(RESULT_MARKER.length));
  } finally {
    await Deno.remove(directory, { recursive: true });
  }
}

function parseResult(json: string): WrkResult {
  const raw = JSON.parse(json) as Record<string, number>;
  const value = (name: string): number => {
    const field = raw[name];
    if (typeof field !== "number") {
      throw new Error(`wrk result has no ${name}: ${json}`);
    }
    return field;
  };
  const seconds = value("duration_us") / 1e6;

  return {
    requests: value("requests"),
    seconds,
    requestsPerSecond: value("requests") / seconds,
    p50Ms: value("p50_us") / 1000,
    p99Ms: value("p99_us") / 1000,
    bytes: value("bytes"),
    badStatus: value("status"),
    socketErrors: value("socket"),
  };
}
