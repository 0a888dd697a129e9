import type { BackendName } from '@mnist/runtime';

/** Fewest images per thread and batch for `auto`: smaller slices waste more than a thread gains. */
export const MIN_IMAGES_PER_THREAD = 16;
/**
 * Fewest training images of a whole run (all epochs, counted when it starts) for which
 * `threads: 'auto'` starts threads: starting one costs about a second (a module graph and a WASM
 * instance), what ~600 images train in on one thread.
 */
export const AUTO_MIN_TRAINING_IMAGES = 20_000;

/** What `resolveThreadCount` decides from. */
export interface ThreadCountInput {
  threads: number | 'auto';
  backend: BackendName;
  batchSize: number;
  /**
   * Images the whole run trains on, all epochs together (a resumed run trains on the count its
   * state recorded instead: the count is part of the run's numerics).
   */
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

/**
 * The count `threads` asks for on `backend` regardless of the run's length and the cores: a number,
 * or `auto` when that depends on them. What a resumed run's recorded count is checked against.
 * Internal.
 */
export function askedThreadCount(threads: number | 'auto', backend: BackendName): number | 'auto' {
  if (threads === 'auto' && backend !== 'tensorflow') return 'auto';
  return resolveThreadCount({ threads, backend, batchSize: 1, plannedImages: 0, cores: 1 });
}
