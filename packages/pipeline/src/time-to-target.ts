import type { EpochRecord } from '@mnist/train';
import type { EpochTestRecord, TimeToTarget } from './pipeline-types.js';

/**
 * Works out the time to `target` test accuracy from a run's epoch records and its per-epoch test
 * figures: the first epoch whose test accuracy is at or above `target`, and the training wall time
 * up to its end, i.e. the sum of the epochs' own `seconds` (training and validation). The test
 * evaluations are measurement, not training, so their time is reported apart. Only the records
 * passed in count; a resumed run passes the restored ones, so it reports what an uninterrupted
 * run would. Pure: the same records give the same answer.
 */
export function computeTimeToTarget(
  history: readonly EpochRecord[],
  tests: readonly EpochTestRecord[],
  target: number,
): TimeToTarget {
  const byEpoch = new Map(tests.map((test) => [test.epoch, test] as const));
  let elapsed = 0;
  let evaluationSeconds = 0;
  let reached: { epoch: number; seconds: number } | undefined;
  let best: TimeToTarget['best'] = null;
  const unmeasuredEpochs: number[] = [];
  for (const record of history) {
    elapsed += record.seconds;
    const test = byEpoch.get(record.epoch);
    if (test === undefined) {
      unmeasuredEpochs.push(record.epoch);
      continue;
    }
    evaluationSeconds += test.seconds;
    if (best === null || test.accuracy > best.accuracy) best = { epoch: test.epoch, accuracy: test.accuracy };
    if (reached === undefined && test.accuracy >= target) reached = { epoch: record.epoch, seconds: elapsed };
  }
  return {
    target,
    reached: reached !== undefined,
    epoch: reached?.epoch ?? null,
    seconds: reached?.seconds ?? null,
    epochs: history.length,
    best,
    evaluationSeconds,
    unmeasuredEpochs,
  };
}
