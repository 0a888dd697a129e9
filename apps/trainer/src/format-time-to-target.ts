import type { EpochTestRecord, TimeToTarget } from '@mnist/pipeline';
import { formatSeconds } from './progress-reporter.js';

const pct = (value: number) => `${(value * 100).toFixed(2)}%`;

/**
 * The progress line for one epoch's test evaluation, in the style of the epoch line above it:
 * `epoch 2/6  test_acc 99.01%  test_loss 0.0312  3.1s on 10,000 test images`.
 */
export function formatEpochTestLine(test: EpochTestRecord, epochs: number, testImages: number): string {
  const width = String(epochs).length;
  return [
    `epoch ${String(test.epoch + 1).padStart(width)}/${epochs}`,
    `test_acc ${pct(test.accuracy)}`,
    `test_loss ${test.loss.toFixed(4)}`,
    `${test.seconds.toFixed(1)}s on ${testImages.toLocaleString('en-US')} test images`,
  ].join('  ');
}

/**
 * One line on the time to target: `reached 99.00% test accuracy after epoch 2 in 2m41s of training`
 * or `did not reach 99.00% test accuracy in 6 epochs (best 98.70% after epoch 6)`. With
 * `evaluations`, adds how long the per-epoch test evaluations took (they are not in the time).
 * Epochs are one-based here, as in every progress line.
 */
export function formatTimeToTarget(result: TimeToTarget, { evaluations = false } = {}): string {
  const target = `${pct(result.target)} test accuracy`;
  let line: string;
  if (result.reached && result.epoch !== null && result.seconds !== null) {
    line = `reached ${target} after epoch ${result.epoch + 1} in ${formatSeconds(result.seconds)} of training`;
  } else {
    const best =
      result.best === null
        ? 'no epoch was scored on the test images'
        : `best ${pct(result.best.accuracy)} after epoch ${result.best.epoch + 1}`;
    line = `did not reach ${target} in ${result.epochs} epoch${result.epochs === 1 ? '' : 's'} (${best})`;
  }
  const notes: string[] = [];
  if (evaluations && result.epochs > result.unmeasuredEpochs.length) {
    notes.push(`the per-epoch test evaluations took ${formatSeconds(result.evaluationSeconds)} more`);
  }
  if (result.unmeasuredEpochs.length > 0) {
    const which = result.unmeasuredEpochs.map((epoch) => epoch + 1).join(', ');
    notes.push(
      `epoch${result.unmeasuredEpochs.length === 1 ? '' : 's'} ${which} had no test evaluation (resumed from an older checkpoint)`,
    );
  }
  return notes.length === 0 ? line : `${line}; ${notes.join('; ')}`;
}
