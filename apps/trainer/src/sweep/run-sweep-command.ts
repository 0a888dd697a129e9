import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { MnistError } from '@mnist/core';
import { DEFAULT_TRAINING_CONFIG } from '@mnist/train';
import { CliUsageError } from '../cli-usage-error.js';
import { ensureWritableDir } from '../ensure-writable-dir.js';
import { resolveUserPath } from '../resolve-user-path.js';
import { describeParams } from './describe-params.js';
import { formatSweepEvent } from './format-sweep-event.js';
import { loadSpaceFile, mergeSearchSpace } from './parse-search-space.js';
import { parseSweepArgs, type SweepCliOptions } from './parse-sweep-args.js';
import { createProcessTrialRunner } from './process-trial-runner.js';
import { isScored, rankTrials } from './rank-trials.js';
import { runSweep, SWEEP_FILES } from './run-sweep.js';
import type { SearchSpace, SearchStrategy, TrialRunner } from './sweep-types.js';
import { trialThreads } from './trial-threads.js';

/** Where the sweep command reads its environment from and writes to; `process` in the real CLI. */
export interface SweepIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /** Aborting (Ctrl-C) starts no new trial and stops the running ones; the sweep exits with 130. */
  signal?: AbortSignal;
  /** The trainer CLI script each trial runs; defaults to the script running now (`dist/cli.js`). */
  cliPath?: string;
  /** Runs trials instead of trainer processes (tests). */
  runner?: TrialRunner;
}

/** Exit statuses of `mnist-train sweep`, as its `--help` documents them. */
export const SWEEP_EXIT = { ok: 0, failed: 1, usage: 2, interrupted: 130 } as const;

function processIo(): SweepIo {
  const controller = new AbortController();
  let interrupts = 0;
  process.on('SIGINT', () => {
    interrupts++;
    if (interrupts > 1) process.exit(SWEEP_EXIT.interrupted);
    process.stderr.write('\nmnist-train sweep: stopping the running trials (Ctrl-C again to quit at once)\n');
    controller.abort();
  });
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    signal: controller.signal,
  };
}

/**
 * `mnist-train sweep ...` (`pnpm train -- sweep ...`): parses the arguments after `sweep`, runs
 * the hyperparameter search with one trainer process per trial, prints one line per trial event,
 * and writes sweep.json, sweep.html and best.json to `--out`. Resolves with the exit status
 * (`SWEEP_EXIT`); pass `io` to run it in-process (tests), or leave it out to use the process,
 * with Ctrl-C stopping the sweep cleanly.
 */
export async function runSweepCommand(argv: readonly string[], io: SweepIo = processIo()): Promise<number> {
  const error = (message: string) => io.stderr.write(`mnist-train sweep: ${message}\n`);
  const userPath = (p: string) => resolveUserPath(p, io.env, io.cwd);
  let space: SearchSpace;
  let search: SearchStrategy;
  let options: SweepCliOptions;
  try {
    const parsed = parseSweepArgs(argv, {
      epochs: DEFAULT_TRAINING_CONFIG.epochs,
      seed: DEFAULT_TRAINING_CONFIG.seed,
      parallel: availableParallelism(),
    });
    if (parsed.action === 'print') {
      io.stdout.write(parsed.text);
      return SWEEP_EXIT.ok;
    }
    options = parsed.options;
    const fileSpace = options.spaceFile === undefined ? {} : await loadSpaceFile(userPath(options.spaceFile));
    space = mergeSearchSpace(fileSpace, options.flagSpace);
    search =
      options.search === 'grid'
        ? { kind: 'grid' }
        : { kind: 'random', trials: options.trials ?? 1, seed: options.settings.seed };
  } catch (caught) {
    if (caught instanceof CliUsageError) {
      error(`${caught.message}\nRun mnist-train sweep --help to see every flag and what it accepts.`);
      return SWEEP_EXIT.usage;
    }
    throw caught;
  }

  const outDir = userPath(options.out);
  const settings = { ...options.settings };
  if (settings.dataDir !== undefined) settings.dataDir = userPath(settings.dataDir);
  const threads = trialThreads(options.parallel, options.threads);
  const say = (line: string) => {
    if (!options.quiet) io.stdout.write(`${line}\n`);
  };
  try {
    await ensureWritableDir(outDir);
    let runner = io.runner;
    if (runner === undefined) {
      const cliPath = io.cliPath ?? process.argv[1];
      if (cliPath === undefined || !existsSync(cliPath)) {
        error(
          `cannot find the trainer CLI to run trials with (${cliPath}); build it with pnpm turbo run build --filter=@mnist/cli...`,
        );
        return SWEEP_EXIT.failed;
      }
      runner = createProcessTrialRunner({ cliPath, settings, threads });
    }
    const budget =
      `${settings.epochs} epoch${settings.epochs === 1 ? '' : 's'} per trial` +
      (settings.trialTimeLimit === undefined ? '' : `, at most ${settings.trialTimeLimit}s`) +
      (settings.trainLimit === undefined
        ? ''
        : `, first ${settings.trainLimit.toLocaleString('en-US')} training images`);
    const perTrial =
      threads === 'auto' ? 'auto threads' : `${threads} thread${threads === 1 ? '' : 's'} each`;
    say(
      `sweep into ${outDir}: ${search.kind} search, ${options.parallel} at a time (${perTrial}), ${budget}`,
    );
    const result = await runSweep({
      outDir,
      space,
      search,
      settings,
      parallel: options.parallel,
      runner,
      ...(io.signal === undefined ? {} : { signal: io.signal }),
      onEvent: (event) => say(formatSweepEvent(event)),
    });

    const ranked = rankTrials(result.file.trials).filter(isScored);
    if (ranked.length > 0) {
      say('\nbest trials (validation accuracy):');
      for (const trial of ranked.slice(0, 5)) {
        say(`  ${(trial.valAccuracy * 100).toFixed(2)}%  ${trial.id}  ${describeParams(trial.params)}`);
      }
      say(
        `wrote ${SWEEP_FILES.state}, ${SWEEP_FILES.report} and ${SWEEP_FILES.best} to ${outDir}\n` +
          `train the best in full and evaluate it on the test set: pnpm train -- --config ${path.join(outDir, SWEEP_FILES.best)}`,
      );
    }
    if (result.usageError !== undefined) {
      error(`the trainer refused a trial's flags, so the sweep stopped:\n${result.usageError}`);
      return SWEEP_EXIT.usage;
    }
    if (result.interrupted) {
      error(
        `interrupted; rerun the same command to finish the remaining trials (finished ones are kept in ${outDir})`,
      );
      return SWEEP_EXIT.interrupted;
    }
    const failed = result.file.trials.filter((trial) => trial.status === 'failed').length;
    if (failed > 0) {
      error(
        `${failed} trial${failed === 1 ? '' : 's'} failed (see ${SWEEP_FILES.state}); rerun the same command to retry them`,
      );
      return SWEEP_EXIT.failed;
    }
    return SWEEP_EXIT.ok;
  } catch (caught) {
    if (caught instanceof CliUsageError) {
      error(caught.message);
      return SWEEP_EXIT.usage;
    }
    if (MnistError.isInstance(caught)) {
      error(caught.message);
      return SWEEP_EXIT.failed;
    }
    throw caught;
  }
}
