import { describe, expect, it } from 'vitest';
import { formatSweepEvent } from './format-sweep-event.js';
import type { TrialRecord } from './sweep-types.js';

const base: TrialRecord = {
  id: 'abc123abc123',
  params: { convLayers: 3, dropout: 0.25 },
  status: 'running',
  valAccuracy: null,
  bestEpoch: null,
  epochsRun: 0,
  seconds: null,
};
const counts = { finished: 4, running: 2, left: 6, total: 12 };

describe('formatSweepEvent', () => {
  it('prints one line per event with the counts and the best so far', () => {
    expect(
      formatSweepEvent({ type: 'sweepStart', counts: { ...counts, running: 0, left: 8 }, reused: 4 }),
    ).toBe('sweep: 12 trials, 4 finished in an earlier run, 8 to run');
    expect(formatSweepEvent({ type: 'trialStart', trial: base, counts })).toBe(
      '[4/12 finished, 2 running, 6 left] start abc123abc123 convLayers=3 dropout=0.25',
    );
    const done = {
      ...base,
      status: 'done' as const,
      valAccuracy: 0.98765,
      bestEpoch: 1,
      epochsRun: 2,
      seconds: 61.4,
    };
    expect(formatSweepEvent({ type: 'trialEnd', trial: done, counts, best: done })).toBe(
      '[4/12 finished, 2 running, 6 left] done abc123abc123 convLayers=3 dropout=0.25: val 98.77% (epoch 2), 61s | best 98.77% abc123abc123',
    );
    const failed = {
      ...base,
      status: 'failed' as const,
      seconds: 3,
      error: '\nmnist-train: out of memory\n  at x',
    };
    expect(formatSweepEvent({ type: 'trialEnd', trial: failed, counts, best: undefined })).toBe(
      '[4/12 finished, 2 running, 6 left] failed abc123abc123 convLayers=3 dropout=0.25: failed: mnist-train: out of memory',
    );
    const late = {
      ...base,
      status: 'timed-out' as const,
      valAccuracy: 0.9,
      bestEpoch: 0,
      epochsRun: 1,
      seconds: 30,
    };
    expect(formatSweepEvent({ type: 'trialEnd', trial: late, counts, best: done })).toMatch(
      /time limit after 1 epoch\(s\): val 90.00% \(epoch 1\), 30s \| best 98.77%/,
    );
  });
});
