import type { BatchEndEvent } from '@mnist/train';
import { describe, expect, it } from 'vitest';
import { createEpochProgress, type EpochProgress } from './epoch-progress.js';

// 450 images in batches of 64: seven full batches and a last one of 2 images.
const SIZES = [64, 64, 64, 64, 64, 64, 64, 2];
const LOSSES = [2.3, 1.9, 1.4, 1.1, 0.9, 0.8, 0.7, 5];
const CORRECT = [6, 15, 30, 41, 50, 52, 55, 0];

const batch = (epoch: number, index: number): BatchEndEvent => ({
  type: 'batchEnd',
  epoch,
  batch: index,
  batchesPerEpoch: SIZES.length,
  loss: LOSSES[index]!,
  accuracy: CORRECT[index]! / SIZES[index]!,
  samplesPerSecond: 1000,
});

function runEpoch(tracker: ReturnType<typeof createEpochProgress>, epoch: number, from = 0): EpochProgress[] {
  const seen: EpochProgress[] = [];
  for (let index = from; index < SIZES.length; index++) seen.push(tracker.onEvent(batch(epoch, index))!);
  return seen;
}

const start = {
  type: 'trainStart',
  backend: 'cpu',
  epochs: 2,
  batchesPerEpoch: 8,
  trainSamples: 450,
} as const;

describe('createEpochProgress', () => {
  it("shows the epoch's running means weighted by batch size, ending on the training loop's own epoch figures", () => {
    const tracker = createEpochProgress({ batchSize: 64, now: () => 0 });
    tracker.onEvent({ ...start, validationSamples: 50 });
    const progress = runEpoch(tracker, 0);
    // After two batches: the mean of both, not the second batch's 1.9 and 15/64.
    expect(progress[1]).toMatchObject({ epoch: 0, epochs: 2, batchesDone: 2, batchesPerEpoch: 8 });
    expect(progress[1]!.loss).toBe((2.3 * 64 + 1.9 * 64) / 128);
    expect(progress[1]!.accuracy).toBe(21 / 128);
    // The last batch holds 2 images: its loss of 5 barely moves the mean, as in the loop's sums.
    let lossSum = 0;
    for (let i = 0; i < SIZES.length; i++) lossSum += LOSSES[i]! * SIZES[i]!;
    expect(progress[7]!.loss).toBe(lossSum / 450);
    expect(progress[7]!.accuracy).toBe(CORRECT.reduce((a, b) => a + b) / 450);

    // A new epoch starts from nothing.
    const next = runEpoch(tracker, 1);
    expect(next[0]!.loss).toBe(2.3);
    expect(next[0]!.accuracy).toBe(6 / 64);
  });

  it('reports at each quarter of the epoch and never at its last batch', () => {
    const tracker = createEpochProgress({ batchSize: 64, now: () => 0 });
    tracker.onEvent({ ...start, validationSamples: 50 });
    const reported = runEpoch(tracker, 0).filter((p) => p.report);
    expect(reported.map((p) => p.batchesDone)).toEqual([2, 4, 6]);
    expect(runEpoch(tracker, 1).filter((p) => p.report)).toHaveLength(3);
  });

  it('carries the sums of the epoch a resumed run continues in, so its means cover the whole epoch', () => {
    const whole = createEpochProgress({ batchSize: 64, now: () => 0 });
    whole.onEvent({ ...start, validationSamples: 50 });
    const uninterrupted = runEpoch(whole, 1);

    const resumed = createEpochProgress({
      batchSize: 64,
      now: () => 0,
      // The checkpoint after 5 batches of epoch 1: the loop's running sums.
      resumed: {
        epoch: 1,
        batch: 5,
        epochProgress: {
          seen: 5 * 64,
          lossSum: LOSSES.slice(0, 5).reduce((sum, loss) => sum + loss * 64, 0),
          correct: CORRECT.slice(0, 5).reduce((a, b) => a + b),
        },
      },
    });
    resumed.onEvent({ ...start, validationSamples: 50 });
    const after = runEpoch(resumed, 1, 5);
    expect(after.map((p) => [p.loss, p.accuracy])).toEqual(
      uninterrupted.slice(5).map((p) => [p.loss, p.accuracy]),
    );
    // The resume lands after the first quarter marks: the next one is the 6th batch.
    expect(after.filter((p) => p.report).map((p) => p.batchesDone)).toEqual([6]);
    // The next epoch owes nothing to the checkpoint.
    expect(runEpoch(resumed, 2)[0]!.loss).toBe(2.3);
  });

  it('estimates the time left from the batches since the clock last restarted', () => {
    let clock = 0;
    const tracker = createEpochProgress({ batchSize: 64, now: () => clock });
    tracker.onEvent({ ...start, validationSamples: 50 });
    clock += 2000;
    expect(tracker.onEvent(batch(0, 0))!.etaSeconds).toBe(2 * 7);
    clock += 60_000; // an evaluation, then the clock restarts
    tracker.restartClock();
    clock += 1000;
    expect(tracker.onEvent(batch(0, 1))!.etaSeconds).toBe(1 * 6);
    expect(
      tracker.onEvent({ type: 'trainEnd', epochsRun: 1, stoppedEarly: false, bestEpoch: 0, seconds: 1 }),
    ).toBe(undefined);
  });
});
