import type { BackendName } from './backend-types.js';

/** Fewest images per thread and batch for `auto`: smaller slices waste more than a thread gains. */
export const MIN_IMAGES_PER_THREAD = 16;
/**
 * Fewest training images (over all epochs) for which `auto` starts threads: starting one costs
 * about a second (a module graph and a WASM instance), what ~600 images train in on one thread.
 */
export const AUTO_MIN_TRAINING_IMAGES = 20_000;

/** What `resolveThreadCount` decides from. */
export interface ThreadCountInput {
  threads: number | 'auto';
  backend: BackendName;
  batchSize: number;
  /** Images the run will train on, all epochs together. */
  plannedImages: number;
  /** Cores available to this process. */
  cores: number;
}

/**
 * How many threads compute each batch's gradients (the calling thread included): the number asked
 * for, or for `auto` one per core, at most one per `MIN_IMAGES_PER_THREAD` images of a batch, and 1
 * for short runs. Always 1 on `tensorflow`, whose native kernels already use every core. Internal.
 */
export function resolveThreadCount(input: ThreadCountInput): number {
  const { threads, backend, batchSize, plannedImages, cores } = input;
  if (backend === 'tensorflow') return 1;
  if (threads !== 'auto') return threads;
  if (plannedImages < AUTO_MIN_TRAINING_IMAGES) return 1;
  return Math.max(1, Math.min(cores, Math.floor(batchSize / MIN_IMAGES_PER_THREAD)));
}
