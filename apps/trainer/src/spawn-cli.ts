// Shared by the CLI process tests only (not part of the CLI; tsup bundles src/cli.ts alone): spawn
// the built CLI, watch its output while it runs, and clean up the processes a test left running.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built CLI the process tests run: this app's dist/cli.js. */
export const CLI_PATH = path.join(fileURLToPath(new URL('..', import.meta.url)), 'dist', 'cli.js');

/** How a CLI process ended, with everything it printed. */
export interface CliOutcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A running CLI process: its stdout so far, and its outcome once it has closed. */
export interface CliProcess {
  child: ChildProcess;
  output: () => string;
  done: Promise<CliOutcome>;
}

const spawned: ChildProcess[] = [];

/** Throws, naming the build command, when dist/cli.js has not been built. */
export function assertCliBuilt(): void {
  if (!existsSync(CLI_PATH)) {
    throw new Error(`${CLI_PATH} is missing: run \`pnpm --filter @mnist/cli build\` first`);
  }
}

/**
 * Starts `mnist-train args` in `cwd` as its own process (INIT_CWD cleared, so relative paths
 * resolve against `cwd` as in a shell) and returns it while it runs.
 */
export function spawnCli(cwd: string, args: string[]): CliProcess {
  const child = spawn(process.execPath, [CLI_PATH, ...args], {
    cwd,
    env: { ...process.env, INIT_CWD: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  spawned.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr!.on('data', (chunk) => {
    stderr += chunk;
  });
  const done = new Promise<CliOutcome>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, output: () => stdout, done };
}

/** SIGKILLs every process `spawnCli` started in this test file that is still running. */
export function killCliProcesses(): void {
  for (const child of spawned)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

/** Polls `condition` every 10 ms until it holds; throws naming `what` after `timeoutMs`. */
export async function until(condition: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
