import type { ImageSet } from '@mnist/data';
import type { BackendName } from '@mnist/runtime';
import type { GradientThreadHost } from './gradient-thread-host.js';
import { createLocalStepRunner } from './local-step-runner.js';
import type { LossAndAccuracySums } from './measure-loss-and-accuracy.js';
import type { StepContext } from './step-context.js';
import { createThreadPoolStepRunner } from './thread-pool-step-runner.js';

/** Which step of the run a batch is: seeds its dropout masks (and its augmentation). Internal. */
export interface StepPosition {
  seed: number;
  epoch: number;
  batch: number;
  /** Position of the batch's first image in the epoch's shuffled order. */
  position: number;
}

/** The step after the one being taken: its batch and where it sits. Internal. */
export interface NextStep {
  indices: Uint32Array;
  at: StepPosition;
}

/** What one training step reports, read back in the same pass. Internal. */
export interface StepFigures {
  /** Mean cross-entropy of the batch. */
  loss: number;
  /** Right predictions in the batch. */
  correct: number;
  /** Sum of the updated weights: NaN or infinite when some weight is, or when they blew up. */
  weightSum: number;
}

/**
 * How the loop computes its steps: on this thread (`createLocalStepRunner`) or on a pool of worker
 * threads (`createThreadPoolStepRunner`). Both take the same Adam step on the same batch. Internal.
 */
export interface StepRunner {
  /** Threads that compute each step (the calling thread included). */
  readonly threads: number;
  /**
   * One Adam step on the batch of training images at `indices` (in order; a part of the epoch's
   * shuffled order), dropout seeded from `at`. `next`, when the loop knows it, is the step that
   * follows: a runner may make its images ahead, while its threads would wait.
   */
  step(indices: Uint32Array, at: StepPosition, next?: NextStep): Promise<StepFigures>;
  /** Cross-entropy and correct sums of the current weights on `set`, in inference mode. */
  measure(set: ImageSet): Promise<LossAndAccuracySums>;
  /** Ends the run's use of the runner: stops its threads, puts the dropout seeds back. */
  close(): Promise<void>;
}

/**
 * The runner for a run on `threads` threads: this thread alone for 1, else a pool of
 * `threads - 1` gradient threads on `backend` beside it, started by `host` (Node's worker_threads
 * by default). Internal.
 *
 * @throws {GradientThreadError} when a thread cannot start.
 */
export async function createStepRunner(
  context: StepContext,
  backend: BackendName,
  threads: number,
  host?: GradientThreadHost,
): Promise<StepRunner> {
  return threads === 1
    ? createLocalStepRunner(context)
    : createThreadPoolStepRunner(context, backend, threads, host);
}
