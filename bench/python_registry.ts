/**
 * The Python original, heaserver-registry, run through the project's scripts
 * (scripts/install_python_registry.sh, scripts/start_python_registry.sh and
 * scripts/stop_python_registry.sh) with a state directory of the benchmark's own, so that a
 * registry started by the tests is neither reused nor stopped.
 *
 * @module
 */

import type { ServerProcess } from "./server_process.ts";

const SCRIPTS = new URL("../scripts/", import.meta.url).pathname;

/** Options of {@linkcode startPythonRegistry}. */
export interface PythonRegistryOptions {
  /** The benchmark's state directory; its `venv` links to the installed virtualenv. */
  readonly stateDir: string;
  /** The MongoDB server, `mongodb://127.0.0.1:PORT/`. */
  readonly mongoUrl: string;
  /** The database the registry serves. */
  readonly databaseName: string;
}

/**
 * Installs heaserver-registry when needed and returns the virtualenv's path. The install script
 * keeps one virtualenv for the whole machine, under HEA_TEST_STATE_DIR (default /tmp/hea-test).
 *
 * @throws {Error} when the install script fails.
 */
export async function installPythonRegistry(): Promise<string> {
  const output = await runScript("install_python_registry.sh", {});

  return output.trim().split("\n").at(-1) ?? "";
}

/**
 * Starts heaserver-registry on a free loopback port, after stopping one that an earlier run left
 * in the same state directory.
 *
 * @throws {Error} when the start script fails.
 */
export async function startPythonRegistry(
  venv: string,
  options: PythonRegistryOptions,
): Promise<ServerProcess> {
  await Deno.mkdir(options.stateDir, { recursive: true });
  const link = `${options.stateDir}/venv`;
  try {
    await Deno.remove(link);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) {
      throw error;
    }
  }
  await Deno.symlink(venv, link);

  const env = {
    HEA_TEST_STATE_DIR: options.stateDir,
    HEA_TEST_MONGODB_URL: options.mongoUrl,
    HEA_TEST_PYTHON_REGISTRY_PORT: "0",
    HEA_TEST_PYTHON_REGISTRY_DATABASE: options.databaseName,
  };
  await runScript("stop_python_registry.sh", env);
  const started = performance.now();
  const output = await runScript("start_python_registry.sh", env);
  const startupMs = performance.now() - started;
  const url = output.match(/^HEA_TEST_PYTHON_REGISTRY_URL=(\S+)$/m)?.[1];
  if (!url) {
    throw new Error(`start_python_registry.sh printed no URL: ${output}`);
  }
  const pid = Number((await Deno.readTextFile(`${options.stateDir}/python_registry.pid`)).trim());

  return {
    label: "heaserver-registry (Python)",
    url,
    pid,
    startupMs,
    stop: async () => {
      await runScript("stop_python_registry.sh", env);
    },
  };
}

/** Returns `heaserver-registry X, heaserver Y, Python Z` from the virtualenv. */
export async function pythonRegistryVersions(venv: string): Promise<string> {
  const program = [
    "import importlib.metadata as m, platform",
    "print(f\"heaserver-registry {m.version('heaserver-registry')}, " +
    "heaserver {m.version('heaserver')}, Python {platform.python_version()}\")",
  ].join("\n");
  const output = await new Deno.Command(`${venv}/bin/python`, { args: ["-c", program] }).output();

  return new TextDecoder().decode(output.stdout).trim();
}

async function runScript(name: string, env: Record<string, string>): Promise<string> {
  const output = await new Deno.Command("bash", {
    args: [`${SCRIPTS}${name}`],
    env,
    stdin: "null",
  }).output();
  const stdout = new TextDecoder().decode(output.stdout);
  if (!output.success) {
    const stderr = new TextDecoder().decode(output.stderr);
    throw new Error(`${name} failed with exit code ${output.code}: ${stderr.trim()}`);
  }

  return stdout;
}
