import { MetricsInputError } from './metrics-input-error.js';

// Internal guards shared by every metric. Each throws a MetricsInputError naming the argument, so
// a caller who swapped yTrue and yPred, or passed a [n, 11] matrix, learns which input is wrong.

/** Checks that `numClasses` is an integer in `[min, max]`; returns it. */
export function checkNumClasses(numClasses: number, min = 1, max = Number.MAX_SAFE_INTEGER): number {
  if (!Number.isInteger(numClasses) || numClasses < min || numClasses > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `in [${min}, ${max}]`;
    throw new MetricsInputError('numClasses', `numClasses must be an integer ${range}, got ${numClasses}`);
  }
  return numClasses;
}

/**
 * Checks that every element of `labels` is an integer in `[0, numClasses)` (any non-negative
 * integer when `numClasses` is omitted).
 */
export function checkLabels(
  name: string,
  labels: ArrayLike<number>,
  numClasses = Number.POSITIVE_INFINITY,
): void {
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i]!;
    if (!Number.isInteger(label) || label < 0 || label >= numClasses) {
      const range = Number.isFinite(numClasses) ? `in [0, ${numClasses - 1}]` : '≥ 0';
      throw new MetricsInputError(
        name,
        `${name}[${i}] must be an integer class label ${range}, got ${label}`,
      );
    }
  }
}

/** Checks that `other` has as many elements as `yTrue`. */
export function checkSameLength(name: string, other: ArrayLike<number>, yTrue: ArrayLike<number>): void {
  if (other.length !== yTrue.length) {
    throw new MetricsInputError(
      name,
      `${name} has ${other.length} labels but yTrue has ${yTrue.length}; they must be the same length`,
    );
  }
}

/** Checks that `yTrue` is not empty, for metrics that average over samples. */
export function checkNotEmpty(yTrue: ArrayLike<number>): void {
  if (yTrue.length === 0) {
    throw new MetricsInputError(
      'yTrue',
      'yTrue must hold at least one label; a mean over 0 samples is undefined',
    );
  }
}

/**
 * Checks that `probabilities` is a finite row-major `[rows, numClasses]` matrix. With `rows`
 * omitted, any whole number of rows is accepted. Returns the number of rows.
 */
export function checkProbabilities(
  probabilities: ArrayLike<number>,
  numClasses: number,
  rows?: number,
): number {
  const { length } = probabilities;
  if (rows !== undefined && length !== rows * numClasses) {
    throw new MetricsInputError(
      'probabilities',
      `probabilities must hold yTrue.length × numClasses = ${rows} × ${numClasses} = ${rows * numClasses} ` +
        `values (row-major [n, numClasses]), got ${length}`,
    );
  }
  if (length % numClasses !== 0) {
    throw new MetricsInputError(
      'probabilities',
      `probabilities must hold a whole number of rows of numClasses = ${numClasses} values ` +
        `(row-major [n, numClasses]), got ${length} values`,
    );
  }
  for (let i = 0; i < length; i++) {
    if (!Number.isFinite(probabilities[i]!)) {
      throw new MetricsInputError(
        'probabilities',
        `probabilities[${i}] (row ${Math.floor(i / numClasses)}, class ${i % numClasses}) must be a finite number, got ${probabilities[i]}`,
      );
    }
  }
  return length / numClasses;
}
