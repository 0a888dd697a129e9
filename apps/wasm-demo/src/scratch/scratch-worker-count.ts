/**
 * Most workers a from-scratch run trains on: a batch of 64 gives each at least 16 images (fewer
 * waste more on messages than a worker gains), and each worker holds its own tfjs, WASM instance
 * and model copy.
 */
export const MAX_SCRATCH_WORKERS = 4;

/**
 * How many workers train a from-scratch run: one per core up to `MAX_SCRATCH_WORKERS` when the
 * page is cross-origin isolated (the workers share the weights, gradients and images through
 * `SharedArrayBuffer`, which only such a page has), else 1.
 */
export function scratchWorkerCount(crossOriginIsolated: boolean, cores: number): number {
  if (!crossOriginIsolated) return 1;
  return Math.max(1, Math.min(MAX_SCRATCH_WORKERS, Math.floor(cores) || 1));
}
