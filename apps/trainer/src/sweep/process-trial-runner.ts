import { spawn } from 'node:child_process';
import { mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '@mnist/core/node';
import { parseJsonEventLine } from '../parse-json-event-line.js';
import type { SweepSettings, TrialEpoch, TrialJob, TrialOutcome, TrialRunner } from './sweep-types.js';
import { trialConfig } from './trial-config.js';

/** How trials are started as trainer processes. */
export interface ProcessTrialRunnerOptions {
  /** The trainer CLI script to run (the built `dist/cli.js`). */
  cliPath: string;
  settings: SweepSettings;
  /**
   * `--threads` of every trial; unset, the trainer's default. Trials running side by side should
   * get 1, or their gradient threads fight over the same cores.
   */
  threads?: number | 'auto';
  /** The Node.js binary; defaults to the one running the sweep. */
  nodePath?: string;
  env?: NodeJS.ProcessEnv;
  /** Seconds a trial gets to wind down after SIGINT (time limit or Ctrl-C) before it is killed. */
  graceSeconds?: number;
}

/** The file, inside each trial's folder, that holds the trial's `--config`. */
export const TRIAL_CONFIG_FILE = 'trial-config.json';

const EXIT_USAGE = 2;
const ERROR_TAIL = 2000;

/** The trainer flags every trial gets from the sweep's settings, as a single run would take them. */
export function settingsFlags(settings: SweepSettings): string[] {
  const flags = ['--epochs', String(settings.epochs), '--seed', String(settings.seed)];
  if (settings.trainLimit !== undefined) flags.push('--train-limit', String(settings.trainLimit));
  if (settings.validationSplit !== undefined)
    flags.push('--validation-split', String(settings.validationSplit));
  if (settings.earlyStoppingPatience !== undefined) {
    flags.push('--early-stopping-patience', String(settings.earlyStoppingPatience));
  }
  if (settings.backend !== undefined) flags.push('--backend', settings.backend);
  if (settings.dataDir !== undefined) flags.push('--data-dir', settings.dataDir);
  return flags;
}

/**
 * A `TrialRunner` that runs each trial as its own trainer process (`node dist/cli.js`), so every
 * trial has its own tfjs backend and a crash takes down one trial only. The trial's parameters go
 * in `<trial>/trial-config.json` (passed as `--config`), the shared settings as flags, output to
 * the trial's folder. Trials run with `--json --quiet`: the runner reads the trainer's event
 * stream, not its human output, and the score of a finished trial comes from the `history` of the
 * metrics.json it writes. Trials run with `--target-accuracy off`, so no time goes into per-epoch
 * test evaluations; the trainer has no flag to skip its final test-set evaluation, so each trial
 * still evaluates on the test set once, but the sweep never reads those figures.
 *
 * With `--trial-time-limit`, the trial is sent SIGINT when its time is up (the trainer stops after
 * the current batch and writes no metrics.json), and it is scored on the `epochEnd` events it
 * printed, at full precision.
 */
export function createProcessTrialRunner(options: ProcessTrialRunnerOptions): TrialRunner {
  const {
    cliPath,
    settings,
    threads,
    nodePath = process.execPath,
    env = process.env,
    graceSeconds = 30,
  } = options;
  const limit = settings.trialTimeLimit;

  return async (job: TrialJob, signal: AbortSignal): Promise<TrialOutcome> => {
    const started = performance.now();
    const seconds = () => (performance.now() - started) / 1000;
    // A trial that ran before (killed sweep, failed trial) may have left files: start clean.
    await rm(job.outDir, { recursive: true, force: true });
    await mkdir(job.outDir, { recursive: true });
    const configFile = path.join(job.outDir, TRIAL_CONFIG_FILE);
    await writeFileAtomic(configFile, `${JSON.stringify(trialConfig(job.params), null, 2)}\n`);

    const args = [cliPath, '--config', configFile, '--out', job.outDir, ...settingsFlags(settings)];
    if (threads !== undefined) args.push('--threads', String(threads));
    // Trials are ranked on validation accuracy only: the test set is not scored after each epoch.
    args.push('--target-accuracy', 'off');
    // Events on stdout; stderr then holds nothing but the trainer's error message.
    args.push('--json', '--quiet');

    // The epochs a trial finished, from its epochEnd events: all there is when it is stopped.
    const finished: TrialEpoch[] = [];
    let errorText = '';
    let stopped: 'time' | 'abort' | undefined;
    const result = await new Promise<{ code: number | null; spawnError?: Error }>((resolve) => {
      const child = spawn(nodePath, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
      let pending = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        const lines = (pending + chunk).split(/\r?\n/);
        pending = lines.pop() ?? '';
        for (const line of lines) {
          const event = parseJsonEventLine(line);
          // A run with nothing held out has no validation accuracy to rank it by.
          if (event?.type === 'epochEnd' && event.valAccuracy !== null) {
            finished.push({ epoch: event.epoch, valAccuracy: event.valAccuracy });
          }
        }
      });
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        errorText = (errorText + chunk).slice(-ERROR_TAIL);
      });
      let killTimer: NodeJS.Timeout | undefined;
      const stop = (why: 'time' | 'abort') => {
        if (stopped !== undefined || child.exitCode !== null) return;
        stopped = why;
        child.kill('SIGINT');
        killTimer = setTimeout(() => child.kill('SIGKILL'), graceSeconds * 1000);
      };
      const limitTimer = limit === undefined ? undefined : setTimeout(() => stop('time'), limit * 1000);
      const onAbort = () => stop('abort');
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
      const finish = (value: { code: number | null; spawnError?: Error }) => {
        clearTimeout(limitTimer);
        clearTimeout(killTimer);
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      };
      child.on('error', (spawnError) => finish({ code: null, spawnError }));
      child.on('close', (code) => finish({ code }));
    });

    if (result.spawnError !== undefined) {
      return { status: 'failed', history: [], seconds: seconds(), error: result.spawnError.message };
    }
    if (result.code === 0) {
      // Finished (possibly just as the time limit hit, during the final evaluation): metrics.json is complete.
      try {
        const metrics = JSON.parse(await readFile(path.join(job.outDir, 'metrics.json'), 'utf8')) as {
          history: TrialEpoch[];
        };
        const history = metrics.history.map(({ epoch, valAccuracy }) => ({ epoch, valAccuracy }));
        return { status: 'done', history, seconds: seconds() };
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        return {
          status: 'failed',
          history: [],
          seconds: seconds(),
          error: `cannot read metrics.json: ${reason}`,
        };
      }
    }
    if (stopped === 'time') return { status: 'timed-out', history: finished, seconds: seconds() };
    if (stopped === 'abort') return { status: 'interrupted', history: finished, seconds: seconds() };
    return {
      status: 'failed',
      history: [],
      seconds: seconds(),
      error: errorText.trim() || `the trainer exited with status ${result.code}`,
      ...(result.code === EXIT_USAGE ? { usageError: true } : {}),
    };
  };
}
