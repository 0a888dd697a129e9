import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '@mnist/core/node';
import { bestConfig } from './best-config.js';
import { checkTrialConfigs } from './check-trial-configs.js';
import { expandGrid } from './expand-grid.js';
import { isScored, rankTrials } from './rank-trials.js';
import { renderSweepHtml } from './render-sweep-html.js';
import { runPool } from './run-pool.js';
import { sampleRandomTrials } from './sample-random-trials.js';
import { SweepStateError } from './sweep-state-error.js';
import type {
  SearchSpace,
  SearchStrategy,
  SweepFile,
  SweepSettings,
  TrialOutcome,
  TrialRecord,
  TrialRunner,
} from './sweep-types.js';
import { trialId } from './trial-id.js';

/** What a sweep needs: the space, how to search it, the shared settings and who runs a trial. */
export interface RunSweepOptions {
  /** Absolute path of the sweep folder (sweep.json, sweep.html, best.json, trials/). */
  outDir: string;
  space: SearchSpace;
  search: SearchStrategy;
  settings: SweepSettings;
  /** Trials running at once. */
  parallel: number;
  runner: TrialRunner;
  /** Aborting stops new trials from starting and is passed on to the running ones. */
  signal?: AbortSignal;
  onEvent?: (event: SweepEvent) => void;
  now?: () => Date;
}

/** Trials of the current sweep by state, for progress lines. */
export interface SweepCounts {
  /** Finished in this or an earlier run (done, timed out or failed). */
  finished: number;
  running: number;
  /** Not started yet. */
  left: number;
  total: number;
}

/** Progress of a sweep, one event per line of output. */
export type SweepEvent =
  | { type: 'sweepStart'; counts: SweepCounts; reused: number }
  | { type: 'trialStart'; trial: TrialRecord; counts: SweepCounts }
  | { type: 'trialEnd'; trial: TrialRecord; counts: SweepCounts; best: TrialRecord | undefined };

/** How a sweep ended. */
export interface SweepResult {
  file: SweepFile;
  /** The signal stopped it before every trial ran. */
  interrupted: boolean;
  /** A trial's flags were refused by the trainer (every trial would fail the same way), so the sweep stopped. */
  usageError?: string;
}

/** File names inside the sweep folder. */
export const SWEEP_FILES = {
  state: 'sweep.json',
  report: 'sweep.html',
  best: 'best.json',
  trials: 'trials',
} as const;

const FINISHED = new Set(['done', 'timed-out']);
const SETTING_KEYS: (keyof SweepSettings)[] = [
  'epochs',
  'seed',
  'trainLimit',
  'validationSplit',
  'earlyStoppingPatience',
  'trialTimeLimit',
  'backend',
  'dataDir',
];

function canonicalSettings(settings: SweepSettings): Record<string, unknown> {
  return Object.fromEntries(
    SETTING_KEYS.filter((k) => settings[k] !== undefined).map((k) => [k, settings[k]]),
  );
}

async function readPrevious(file: string, settings: SweepSettings): Promise<SweepFile | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new SweepStateError(`cannot read ${file} to resume the sweep (${(error as Error).message}).`, {
      cause: error,
    });
  }
  let previous: SweepFile;
  try {
    previous = JSON.parse(text) as SweepFile;
  } catch (error) {
    throw new SweepStateError(
      `${file} is not valid JSON; move it away to start a new sweep in this folder.`,
      {
        cause: error,
      },
    );
  }
  if (
    previous?.formatVersion !== 1 ||
    !Array.isArray(previous.trials) ||
    typeof previous.settings !== 'object'
  ) {
    throw new SweepStateError(
      `${file} is not a sweep.json this trainer can resume (expected formatVersion 1).`,
    );
  }
  const before = JSON.stringify(canonicalSettings(previous.settings));
  const now = JSON.stringify(canonicalSettings(settings));
  if (before !== now) {
    throw new SweepStateError(
      `${file} holds a sweep run with other settings (${before}, now ${now}); its trials would not be ` +
        'comparable. Rerun with the same --epochs, --seed, --train-limit, --validation-split, ' +
        '--early-stopping-patience, --trial-time-limit, --backend and --data-dir, or choose another --out.',
    );
  }
  return previous;
}

function score(outcome: TrialOutcome): Pick<TrialRecord, 'valAccuracy' | 'bestEpoch' | 'epochsRun'> {
  let best: { valAccuracy: number; epoch: number } | undefined;
  for (const { epoch, valAccuracy } of outcome.history) {
    if (Number.isFinite(valAccuracy) && (best === undefined || valAccuracy > best.valAccuracy)) {
      best = { valAccuracy, epoch };
    }
  }
  return {
    valAccuracy: best?.valAccuracy ?? null,
    bestEpoch: best?.epoch ?? null,
    epochsRun: outcome.history.length,
  };
}

/**
 * Runs a hyperparameter sweep into `outDir`: expands the space (grid, or seeded random sample),
 * checks every trial's config, skips trials a previous run in the same folder finished (same id,
 * same settings), runs the rest through `runner` with at most `parallel` at once, and after every
 * trial rewrites sweep.json, sweep.html and best.json atomically, so a killed sweep loses only the
 * trials that were running. Trials are ranked by their best validation accuracy only.
 * @throws SearchSpaceError for an untrainable combination, SweepStateError for a sweep.json that
 *   cannot be resumed; trial failures are recorded, not thrown.
 */
export async function runSweep(options: RunSweepOptions): Promise<SweepResult> {
  const { outDir, space, search, settings, runner, onEvent = () => {}, now = () => new Date() } = options;
  const planned =
    search.kind === 'grid' ? expandGrid(space) : sampleRandomTrials(space, search.trials, search.seed);
  checkTrialConfigs(planned, settings);

  await mkdir(path.join(outDir, SWEEP_FILES.trials), { recursive: true });
  const stateFile = path.join(outDir, SWEEP_FILES.state);
  const previous = await readPrevious(stateFile, settings);
  const known = new Map((previous?.trials ?? []).map((trial) => [trial.id, trial] as const));

  const current: TrialRecord[] = [];
  const seen = new Set<string>();
  for (const params of planned) {
    const id = trialId(params);
    if (seen.has(id)) continue;
    seen.add(id);
    const old = known.get(id);
    current.push(
      old !== undefined && FINISHED.has(old.status)
        ? old
        : { id, params, status: 'pending', valAccuracy: null, bestEpoch: null, epochsRun: 0, seconds: null },
    );
  }
  // Finished trials of earlier runs that the current space leaves out are still valid results.
  const extra = [...known.values()].filter((trial) => !seen.has(trial.id) && FINISHED.has(trial.status));
  const toRun = current.filter((trial) => !FINISHED.has(trial.status));
  const reused = current.length - toRun.length;

  const file: SweepFile = {
    formatVersion: 1,
    objective: 'valAccuracy',
    createdAt: previous?.createdAt ?? now().toISOString(),
    updatedAt: now().toISOString(),
    space,
    search,
    settings,
    parallel: options.parallel,
    best: null,
    trials: [...current, ...extra],
  };
  const counts = (): SweepCounts => {
    const count = (pick: (t: TrialRecord) => boolean) => current.filter(pick).length;
    return {
      finished: count((t) => FINISHED.has(t.status) || t.status === 'failed'),
      running: count((t) => t.status === 'running'),
      left: count((t) => t.status === 'pending' || t.status === 'interrupted'),
      total: current.length,
    };
  };
  const bestTrial = () => rankTrials(file.trials).find(isScored);

  // Writes are chained so that they land in order and the last one holds the latest state.
  let writes = Promise.resolve();
  const save = () => {
    const best = bestTrial();
    file.updatedAt = now().toISOString();
    file.best =
      best === undefined || !isScored(best)
        ? null
        : { id: best.id, params: best.params, valAccuracy: best.valAccuracy, bestEpoch: best.bestEpoch };
    const json = `${JSON.stringify(file, null, 2)}\n`;
    const html = renderSweepHtml(file);
    const bestJson =
      best === undefined ? undefined : `${JSON.stringify(bestConfig(best.params, settings), null, 2)}\n`;
    writes = writes.then(async () => {
      await writeFileAtomic(stateFile, json);
      await writeFileAtomic(path.join(outDir, SWEEP_FILES.report), html);
      if (bestJson !== undefined) await writeFileAtomic(path.join(outDir, SWEEP_FILES.best), bestJson);
    });
    return writes;
  };

  await save();
  onEvent({ type: 'sweepStart', counts: counts(), reused });

  const stop = new AbortController();
  const onAbort = () => stop.abort();
  if (options.signal?.aborted) stop.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  let usageError: string | undefined;

  try {
    await runPool(
      toRun,
      options.parallel,
      async (trial) => {
        trial.status = 'running';
        // Not awaited: recording "running" must not hold back the trial (a failed write still
        // surfaces through the chained writes awaited after the trial).
        void save();
        onEvent({ type: 'trialStart', trial, counts: counts() });
        const outcome = await runner(
          { id: trial.id, params: trial.params, outDir: path.join(outDir, SWEEP_FILES.trials, trial.id) },
          stop.signal,
        );
        Object.assign(trial, score(outcome), { status: outcome.status, seconds: outcome.seconds });
        if (outcome.error !== undefined) trial.error = outcome.error;
        else delete trial.error;
        if (outcome.status === 'interrupted') trial.status = 'interrupted';
        else trial.finishedAt = now().toISOString();
        if (outcome.usageError === true && usageError === undefined) {
          usageError = outcome.error ?? 'the trainer refused the trial flags';
          stop.abort();
        }
        await save();
        onEvent({ type: 'trialEnd', trial, counts: counts(), best: bestTrial() });
      },
      stop.signal,
    );
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
  await save();
  return {
    file,
    interrupted: options.signal?.aborted === true && counts().left > 0,
    ...(usageError === undefined ? {} : { usageError }),
  };
}
