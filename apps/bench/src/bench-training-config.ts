import type { TrainingConfigInput } from '@mnist/train';
import type { ComputeJob } from './bench-job.js';

/**
 * The training config of a tfjs side's compute job: one epoch that only trains, with the work of
 * PyTorch's loop in reference/torch-bench.py (plain Adam at one rate on the images as they are).
 * The trainer's defaults would also augment every image (about 1.5 ms of JavaScript per 128
 * images, on each thread's slice), set a one-cycle rate before every step and decay the weights
 * (AdamW), which PyTorch's side does not do; no validation and no early stopping, so nothing but
 * the steps is timed.
 */
export function benchTrainingConfig(job: ComputeJob): TrainingConfigInput {
  return {
    threads: job.threads,
    batchSize: job.batchSize,
    epochs: 1,
    learningRate: job.learningRate,
    seed: job.seed,
    validationSplit: 0,
    earlyStopping: null,
    augmentation: null,
    learningRateSchedule: { kind: 'constant' },
    weightDecay: 0,
  };
}
