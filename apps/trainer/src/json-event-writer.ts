import path from 'node:path';
import type { TrainingEvent } from '@mnist/train';
import { createEpochProgress, type ResumedEpoch } from './epoch-progress.js';
import {
  type DoneJsonEvent,
  type JsonCheckpointRef,
  type JsonEvent,
  JSON_EVENTS_FORMAT_VERSION,
  type StartJsonEvent,
} from './json-events.js';
import type { EpochTestRecord } from '@mnist/pipeline';
import type { RunMetrics } from './run-metrics.js';

/** What the `start` event says about the run beyond `trainStart`'s figures. */
export type RunDescription = Omit<
  StartJsonEvent,
  'type' | 'formatVersion' | 'backend' | 'threads' | 'epochs' | 'batchesPerEpoch'
>;

/** Writes the events of `mnist-train --json`; each method prints one line (or none, see each). */
export interface JsonEventWriter {
  /** Records the run for the `start` event, which `trainStart` prints (it resolves the threads). */
  describeRun(run: RunDescription): void;
  /**
   * Feeds a training event: `trainStart` prints `start`, a `batchEnd` at a quarter of its epoch
   * prints `progress`, `epochEnd` prints `epochEnd`; other events print nothing.
   */
  onEvent(event: TrainingEvent): void;
  /** Prints `epochTest`, and restarts the clock the next epoch's time left is measured from. */
  epochTest(test: EpochTestRecord, epochs: number, testSamples: number): void;
  /** Prints `done` from the run's metrics.json content and output folder. */
  done(metrics: RunMetrics, outDir: string): void;
  /** Prints `error` with the message of stderr (without the `mnist-train:` prefix) and the exit status. */
  error(message: string, exitStatus: number, checkpoint?: JsonCheckpointRef): void;
}

/** `value`, or null for NaN and infinities (which JSON cannot hold). */
const finiteOrNull = (value: number): number | null => (Number.isFinite(value) ? value : null);

/**
 * Creates the writer of the `--json` event stream on `output` (stdout): one `JSON.stringify`d
 * object per line, so a reader can split on newlines. Progress comes at the batches where the
 * plain progress lines come (see `EpochProgress.report`), with the epoch's running means; the
 * other figures at full precision, as metrics.json holds them. `batchSize` and `resumed` weight
 * the running means as the progress reporter does.
 */
export function createJsonEventWriter(
  output: { write(text: string): unknown },
  {
    batchSize = 64,
    resumed,
    now = () => performance.now(),
  }: { batchSize?: number; resumed?: ResumedEpoch; now?: () => number } = {},
): JsonEventWriter {
  const progress = createEpochProgress({ batchSize, now, ...(resumed === undefined ? {} : { resumed }) });
  let run: RunDescription | undefined;
  // Omitted member by member, so each call is checked against its own event type. `type` and the
  // version lead each line, for readers that look before they parse.
  const print = ({ type, ...fields }: DistributiveOmit<JsonEvent, 'formatVersion'>) =>
    output.write(`${JSON.stringify({ type, formatVersion: JSON_EVENTS_FORMAT_VERSION, ...fields })}\n`);

  return {
    describeRun(description) {
      run = description;
    },
    onEvent(event) {
      const at = progress.onEvent(event);
      switch (event.type) {
        case 'trainStart':
          if (run === undefined) throw new Error('json events: describeRun must come before trainStart');
          print({
            type: 'start',
            ...run,
            backend: event.backend,
            threads: event.threads ?? 1,
            epochs: event.epochs,
            batchesPerEpoch: event.batchesPerEpoch,
          });
          break;
        case 'batchEnd':
          if (at === undefined || !at.report) break;
          print({
            type: 'progress',
            epoch: at.epoch,
            epochs: at.epochs,
            batchesDone: at.batchesDone,
            batchesPerEpoch: at.batchesPerEpoch,
            loss: at.loss,
            accuracy: at.accuracy,
            samplesPerSecond: at.samplesPerSecond,
            etaSeconds: at.etaSeconds,
          });
          break;
        case 'epochEnd':
          print({
            type: 'epochEnd',
            epoch: event.epoch,
            epochs: event.epochs,
            loss: event.loss,
            accuracy: event.accuracy,
            valLoss: finiteOrNull(event.valLoss),
            valAccuracy: finiteOrNull(event.valAccuracy),
            seconds: event.seconds,
            samplesPerSecond: event.samplesPerSecond,
            learningRate: event.learningRate,
          });
          break;
        case 'trainEnd':
          break;
      }
    },
    epochTest(test, epochs, testSamples) {
      print({ type: 'epochTest', ...test, epochs, testSamples });
      progress.restartClock();
    },
    done(metrics, outDir) {
      const event: Omit<DoneJsonEvent, 'formatVersion'> = {
        type: 'done',
        exitStatus: 0,
        finishedAt: metrics.finishedAt,
        totalSeconds: metrics.totalSeconds,
        training: metrics.training,
        test: metrics.test,
        timeToTarget: metrics.timeToTarget,
        files: {
          outDir,
          model: path.join(outDir, 'model.json'),
          weights: path.join(outDir, 'weights.bin'),
          metrics: path.join(outDir, 'metrics.json'),
          report: path.join(outDir, 'report.html'),
        },
      };
      print(event);
    },
    error(message, exitStatus, checkpoint) {
      print({ type: 'error', exitStatus, message, checkpoint: checkpoint ?? null });
    },
  };
}

/** `Omit` applied to each member of a union, so the result stays a discriminated union. */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
