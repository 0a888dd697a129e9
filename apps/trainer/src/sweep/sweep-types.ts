/** Names of the hyperparameters a sweep can search, as they appear in `--config` files and `--space` JSON. */
export type SweepParamName =
  | 'convLayers'
  | 'kernelSize'
  | 'filters'
  | 'dropout'
  | 'denseUnits'
  | 'learningRate'
  | 'batchSize';

/** One value of a searched parameter: a number, or (for `filters` in a `--space` file) one count per conv layer. */
export type ParamValue = number | number[];

/** The search space: for each searched parameter, the values to try, in the order given. */
export type SearchSpace = Partial<Record<SweepParamName, ParamValue[]>>;

/** One point of the space: the value each searched parameter takes in a trial. */
export type TrialParams = Partial<Record<SweepParamName, ParamValue>>;

/** How trials are picked from the space. */
export type SearchStrategy = { kind: 'grid' } | { kind: 'random'; trials: number; seed: number };

/**
 * What every trial shares; a rerun in the same folder must use the same settings, otherwise the
 * finished trials would not be comparable with the new ones.
 */
export interface SweepSettings {
  /** Epochs per trial (the per-trial budget). */
  epochs: number;
  /** Seed of shuffling, split and weight init, the same for every trial (and of random search). */
  seed: number;
  trainLimit?: number;
  validationSplit?: number;
  /** Epochs without a better validation loss before a trial stops; 0 turns early stopping off. */
  earlyStoppingPatience?: number;
  /** Wall-clock seconds a trial process may run (data loading included) before it is stopped and scored on the epochs it finished. */
  trialTimeLimit?: number;
  backend?: string;
  /** Absolute path of a folder of MNIST IDX files. */
  dataDir?: string;
}

/**
 * Where a trial stands. `timed-out` trials hit `--trial-time-limit` and are scored on the epochs they
 * finished; `done` and `timed-out` count as finished, the others run again when the sweep is rerun.
 */
export type TrialStatus = 'pending' | 'running' | 'done' | 'timed-out' | 'failed' | 'interrupted';

/** One trial as recorded in sweep.json. */
export interface TrialRecord {
  /** Stable hash of `params`: the same parameters get the same id (and folder) in every run. */
  id: string;
  params: TrialParams;
  status: TrialStatus;
  /** Best validation accuracy over the trial's epochs (the objective); null when no epoch finished. */
  valAccuracy: number | null;
  /** Zero-based epoch that reached `valAccuracy`. */
  bestEpoch: number | null;
  epochsRun: number;
  /** Wall-clock seconds of the trial, process start to end. */
  seconds: number | null;
  /** Why the trial failed (the end of its error output). */
  error?: string;
  finishedAt?: string;
}

/** The content of sweep.json, rewritten after every trial. */
export interface SweepFile {
  formatVersion: 1;
  /** Always `valAccuracy`: the best validation accuracy of a trial; test accuracy is never used. */
  objective: 'valAccuracy';
  createdAt: string;
  updatedAt: string;
  space: SearchSpace;
  search: SearchStrategy;
  settings: SweepSettings;
  parallel: number;
  best: { id: string; params: TrialParams; valAccuracy: number; bestEpoch: number } | null;
  /** Every trial this folder knows, including finished ones of earlier runs outside the current space. */
  trials: TrialRecord[];
}

/** Per-epoch figures a trial runner reports: enough to score the trial. */
export interface TrialEpoch {
  epoch: number;
  valAccuracy: number;
}

/** What running one trial produced. */
export interface TrialOutcome {
  status: 'done' | 'timed-out' | 'failed' | 'interrupted';
  history: TrialEpoch[];
  seconds: number;
  error?: string;
  /** The trainer refused the trial's flags (exit status 2): every other trial would fail the same way. */
  usageError?: boolean;
}

/** A trial to run: its id, parameters, and output folder. */
export interface TrialJob {
  id: string;
  params: TrialParams;
  outDir: string;
}

/** Runs one trial to its end; must resolve (not reject) with a `failed` outcome on errors. */
export type TrialRunner = (job: TrialJob, signal: AbortSignal) => Promise<TrialOutcome>;
