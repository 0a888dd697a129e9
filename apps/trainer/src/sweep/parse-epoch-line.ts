import type { TrialEpoch } from './sweep-types.js';

// Matches the trainer's own epoch line (formatEpochLine in progress-reporter.ts):
// `epoch 2/6  loss 0.0412  acc 98.71%  val_loss 0.0391  val_acc 98.85%  41.0s  1,317 img/s`.
const EPOCH_LINE = /^epoch\s+(\d+)\/\d+\s.*\bval_acc\s+(\d+(?:\.\d+)?)%/;

/**
 * Reads the epoch number and validation accuracy from one line of the trainer's progress output,
 * or returns undefined for any other line. Used only for trials stopped by `--trial-time-limit`:
 * the trainer writes no metrics.json when interrupted, so the epochs it printed are all there is
 * (accuracy to 0.01 percentage points, as printed).
 */
export function parseEpochLine(line: string): TrialEpoch | undefined {
  const match = EPOCH_LINE.exec(line.trim());
  if (match === null) return undefined;
  // Percent with two decimals to a fraction, rounded so 98.85 reads as 0.9885 rather than 0.98849999.
  return { epoch: Number(match[1]) - 1, valAccuracy: Math.round(Number(match[2]) * 100) / 10_000 };
}
