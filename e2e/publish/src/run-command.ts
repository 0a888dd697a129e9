import { spawn } from 'node:child_process';

/** Output of a finished command. */
export interface CommandResult {
  stdout: string;
  stderr: string;
}

/**
 * Runs a command to completion and resolves with its output; rejects with the command line, exit
 * status and the tail of its output, so a failing step of the release test says what failed.
 */
export function runCommand(
  command: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<CommandResult> {
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
      if (code === 0) {
        resolve({ stdout, stderr });
        return;
      }
      const tail = (stdout + stderr).split('\n').slice(-40).join('\n');
      reject(
        new Error(
          `\`${command} ${args.join(' ')}\` in ${options.cwd} exited with ${code ?? signal}:\n${tail}`,
        ),
      );
    });
  });
}
