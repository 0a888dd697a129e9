import type { PixelStats, RawImageSet } from './dataset-types.js';
import { DataArgumentError } from './data-argument-error.js';

/**
 * Mean and (population) standard deviation of all pixels of `raw`, on the [0, 1] scale that
 * `normalizeImages` produces. Compute it on the training set only and reuse it for validation and
 * test, so no information leaks from them. For MNIST's training set: mean 0.1307, std 0.3081.
 */
export function computePixelStats(raw: RawImageSet): PixelStats {
  const n = raw.images.length;
  if (n === 0) throw new DataArgumentError('computePixelStats needs at least one pixel, got an empty set');
  // A histogram of the 256 byte values makes the sums exact and the pass over the pixels cheap.
  const histogram = new Float64Array(256);
  for (let i = 0; i < n; i++) histogram[raw.images[i]!]!++;
  let sum = 0;
  for (let v = 0; v < 256; v++) sum += (v / 255) * histogram[v]!;
  const mean = sum / n;
  let squares = 0;
  for (let v = 0; v < 256; v++) squares += (v / 255 - mean) ** 2 * histogram[v]!;
  return { mean, std: Math.sqrt(squares / n) };
}
