import { NUM_CLASSES } from '@mnist/core';
import { checkNumClasses, checkProbabilities } from './validate-inputs.js';

/**
 * Writes the index of the largest value of each row of a row-major `[n, numClasses]` matrix into
 * `out`. Ties go to the lowest index, as NumPy's `argmax`. Inputs are assumed validated.
 */
export function argmaxInto(
  probabilities: ArrayLike<number>,
  numClasses: number,
  out: { [index: number]: number; length: number },
): void {
  for (let row = 0, offset = 0; row < out.length; row++, offset += numClasses) {
    let best = 0;
    let bestValue = probabilities[offset]!;
    for (let c = 1; c < numClasses; c++) {
      const value = probabilities[offset + c]!;
      // Strict `>` keeps the first of equal maxima.
      if (value > bestValue) {
        best = c;
        bestValue = value;
      }
    }
    out[row] = best;
  }
}

/**
 * Predicted class of each row of a row-major `[n, numClasses]` probability (or logit) matrix: the
 * column of the row's largest value. Ties go to the lowest class index, as NumPy's `argmax`.
 *
 * @param probabilities row-major `[n, numClasses]` scores, all finite.
 * @param numClasses columns per row, 1 to 256 (the result is a `Uint8Array`); defaults to 10.
 * @returns `n` predicted labels.
 * @throws {MetricsInputError} if the length is not a multiple of `numClasses`, a value is not
 *   finite, or `numClasses` is out of range.
 */
export function argmaxRows(probabilities: ArrayLike<number>, numClasses: number = NUM_CLASSES): Uint8Array {
  checkNumClasses(numClasses, 1, 256);
  const rows = checkProbabilities(probabilities, numClasses);
  const out = new Uint8Array(rows);
  argmaxInto(probabilities, numClasses, out);
  return out;
}
