import type { TrainingConfigInput } from '@mnist/train';

/**
 * How a from-scratch run trains besides the page's choices (images, epochs) and the worker count:
 * the training defaults of @mnist/train (batches of 128, Adam under a one-cycle schedule peaking at
 * 6e-3, random rotation, zoom and shift of every image), seed 42, no early stopping (the page picks
 * the epochs). Shared by the worker and the training benchmark, which trains the same in Node.
 */
export const SCRATCH_TRAINING = {
  seed: 42,
  earlyStopping: null,
} as const satisfies TrainingConfigInput;
