import { spawn } from 'node:child_process';
import { BenchError } from './bench-error.js';
import { type BenchJob, type BenchResult, RESULT_PREFIX } from './bench-job.js';

/** How to start one side's child process. */
export interface ChildCommand {
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
}

/** Longest a single child may run before it is killed: far above any sane run, so it only ends hangs. */
const CHILD_TIMEOUT_MS = 30 * 60 * 1000;

/**
 * Runs `job` in a fresh child process (`command args... '<job JSON>'`) and returns the result it
 * prints. A missing executable becomes an `unavailable` result (no Python here is not an error of
 * the benchmark); a crash, a timeout or output without a result line throws `BenchError` with the
 * end of the child's stderr.
 */
export function runChild(child: ChildCommand, job: BenchJob): Promise<BenchResult> {
  return new Promise((resolve, reject) => {
    const proc = spawn(child.command, [...child.args, JSON.stringify(job)], {
      env: child.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    proc.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    proc.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      // Keep only the tail: enough to explain a failure without holding a chatty child's whole log.
      stderr = (stderr + chunk).slice(-8000);
    });
    const timer = setTimeout(() => proc.kill('SIGKILL'), CHILD_TIMEOUT_MS);
    const where = `${job.side} ${job.kind} job (${child.command} ${child.args.join(' ')})`;
    proc.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (error.code === 'ENOENT') {
        resolve({ kind: 'unavailable', side: job.side, reason: `${child.command} not found` });
      } else {
        reject(new BenchError(`${where} could not start: ${error.message}`, { cause: error }));
      }
    });
    proc.on('close', (code, signal) => {
      clearTimeout(timer);
      const line = stdout.split('\n').find((text) => text.startsWith(RESULT_PREFIX));
      if (code !== 0 || line === undefined) {
        const how = signal !== null ? `was killed by ${signal}` : `exited with code ${code}`;
        const detail = line === undefined ? ' without a result line' : '';
        reject(new BenchError(`${where} ${how}${detail}; its stderr ends:\n${stderr.trim()}`));
        return;
      }
      try {
        resolve(JSON.parse(line.slice(RESULT_PREFIX.length)) as BenchResult);
      } catch (cause) {
        reject(
          new BenchError(`${where} printed a result line that is not JSON: ${line.slice(0, 200)}`, { cause }),
        );
      }
    });
  });
}
