import { BenchError } from './bench-error.js';

/**
 * The `p`-th percentile (0-100) of `values`, interpolating linearly between the two nearest ranks
 * (numpy's default), so PyTorch-side figures computed with numpy would agree.
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) {
    throw new BenchError('percentile: expected at least one value, got an empty list');
  }
  if (!(p >= 0 && p <= 100)) {
    throw new BenchError(`percentile: expected p in [0, 100], got ${p}`);
  }
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const lower = Math.floor(rank);
  const upper = Math.ceil(rank);
  const low = sorted[lower]!;
  const high = sorted[upper]!;
  return low + (high - low) * (rank - lower);
}

/** The median of `values` (mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  return percentile(values, 50);
}
