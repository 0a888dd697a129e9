// The events `mnist-train --json` prints on stdout, one JSON object per line, for scripts and the
// sweep. The schema is documented in ../README.md (JSON events); bump the format version when a
// field changes meaning or goes away (adding a field or an event type does not need a bump).
import type { EvaluationReport } from '@mnist/metrics';
import type { ModelConfig } from '@mnist/model';
import type { BackendName } from '@mnist/runtime';
import type { TimeToTarget } from '@mnist/pipeline';
import type { TrainerTrainingConfig } from './trainer-training-config.js';

/** The `formatVersion` every JSON event carries. */
export const JSON_EVENTS_FORMAT_VERSION = 1;

/** Fields every event has: what it is, and the version of the schema it follows. */
interface JsonEventBase {
  formatVersion: typeof JSON_EVENTS_FORMAT_VERSION;
}

/** Where a checkpoint continues: zero-based epoch and batch, as in `TrainingState`. */
export interface JsonCheckpointRef {
  /** Absolute path of the checkpoint file. */
  file: string;
  epoch: number;
  batch: number;
}

/** Printed once, when training starts (after the data is loaded and the model built). */
export interface StartJsonEvent extends JsonEventBase {
  type: 'start';
  trainerVersion: string;
  /** ISO 8601 time the command started. */
  startedAt: string;
  /** The backend that trains (`tensorflow` is tfjs-node). */
  backend: BackendName;
  /** Threads computing each batch's gradients (`config.training.threads` resolved). */
  threads: number;
  epochs: number;
  batchesPerEpoch: number;
  /** The fully resolved configs, as in metrics.json (`{ model, training }` works as `--config`). */
  config: { model: ModelConfig; training: TrainerTrainingConfig };
  data: { source: string; trainSamples: number; validationSamples: number; testSamples: number };
  model: { parameters: number; flopsPerImage: number };
  /** `--target-accuracy` as a fraction; null when `off` (then no `epochTest` events come). */
  targetAccuracy: number | null;
  /** Absolute path of the output folder. */
  outDir: string;
  /** The checkpoint a `--resume`d run continues from; null for a fresh run. */
  resumedFrom: JsonCheckpointRef | null;
}

/** Printed during an epoch at each quarter of it (the pace of the plain progress lines), not per batch. */
export interface ProgressJsonEvent extends JsonEventBase {
  type: 'progress';
  /** Zero-based epoch. */
  epoch: number;
  epochs: number;
  /** Batches of the epoch finished (never all of them: `epochEnd` follows the last). */
  batchesDone: number;
  batchesPerEpoch: number;
  /** Mean training loss over the epoch's images so far. */
  loss: number;
  /** Training accuracy over the epoch's images so far, as a fraction. */
  accuracy: number;
  samplesPerSecond: number;
  /** Estimated seconds to the end of the epoch's training (validation not included). */
  etaSeconds: number;
}

/** Printed after each epoch's validation: the epoch's record in metrics.json `history`, at full precision. */
export interface EpochEndJsonEvent extends JsonEventBase {
  type: 'epochEnd';
  /** Zero-based epoch. */
  epoch: number;
  epochs: number;
  loss: number;
  accuracy: number;
  /** Null when nothing is held out for validation (`--validation-split 0`). */
  valLoss: number | null;
  valAccuracy: number | null;
  /** Wall-clock seconds of the epoch, validation included. */
  seconds: number;
  samplesPerSecond: number;
  learningRate: number;
}

/** Printed after each epoch's test evaluation (only when `--target-accuracy` is not `off`). */
export interface EpochTestJsonEvent extends JsonEventBase {
  type: 'epochTest';
  /** Zero-based epoch the model was trained through. */
  epoch: number;
  epochs: number;
  accuracy: number;
  loss: number;
  /** Wall-clock seconds of the evaluation (counted in no epoch's `seconds`). */
  seconds: number;
  testSamples: number;
}

/** Printed last by a run that trained, evaluated and wrote everything (exit status 0). */
export interface DoneJsonEvent extends JsonEventBase {
  type: 'done';
  exitStatus: 0;
  finishedAt: string;
  /** Wall-clock seconds from the start to the last file written. */
  totalSeconds: number;
  training: { epochsRun: number; bestEpoch: number; stoppedEarly: boolean; seconds: number };
  /** The final model on the test images: metrics.json `test`. */
  test: EvaluationReport;
  /** metrics.json `timeToTarget`; null when `--target-accuracy` is `off`. */
  timeToTarget: TimeToTarget | null;
  /** Absolute paths of what the run wrote. */
  files: { outDir: string; model: string; weights: string; metrics: string; report: string };
}

/** Printed last by a run that failed or was stopped: the message also printed on stderr, and the exit status. */
export interface ErrorJsonEvent extends JsonEventBase {
  type: 'error';
  /** 1 failed, 2 bad flag or config, 3 diverged, 130 interrupted (as the process exits). */
  exitStatus: number;
  message: string;
  /** The last checkpoint written by this run (what `--resume` continues from); null when none was. */
  checkpoint: JsonCheckpointRef | null;
}

/** Every event of `mnist-train --json`, discriminated by `type`. */
export type JsonEvent =
  | StartJsonEvent
  | ProgressJsonEvent
  | EpochEndJsonEvent
  | EpochTestJsonEvent
  | DoneJsonEvent
  | ErrorJsonEvent;
