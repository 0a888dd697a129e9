import { spawn } from 'node:child_process';

/** Output of a finished command. */
export interface CommandResult {
  stdout: string;
  stderr: string;
}

/** Output and exit status of a command that ran to its end, successful or not. */
export interface CommandExit extends CommandResult {
  /** The exit status, or null when a signal ended it. */
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * Runs a command to its end and resolves with its exit status and output, whatever the status:
 * for steps whose failure is the point (a bad flag must exit 2). Killed after `timeoutMs`.
 */
export function runCommandToExit(
  command: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<CommandExit> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 600_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/**
 * Runs a command to completion and resolves with its output; rejects with the command line, exit
 * status and the tail of its output, so a failing step of the release test says what failed.
 */
export async function runCommand(
  command: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<CommandResult> {
  const { code, signal, stdout, stderr } = await runCommandToExit(command, args, options);
  if (code === 0) return { stdout, stderr };
  const tail = (stdout + stderr).split('\n').slice(-40).join('\n');
  throw new Error(
    `\`${command} ${args.join(' ')}\` in ${options.cwd} exited with ${code ?? signal}:\n${tail}`,
  );
}
