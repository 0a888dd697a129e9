import type { EpochRecord } from '@mnist/train';
import { describe, expect, it } from 'vitest';
import type { EpochTestRecord } from './pipeline-types.js';
import { computeTimeToTarget } from './time-to-target.js';

function epochs(seconds: number[]): EpochRecord[] {
  return seconds.map((s, epoch) => ({
    epoch,
    loss: 0.1,
    accuracy: 0.97,
    valLoss: 0.1,
    valAccuracy: 0.97,
    seconds: s,
    samplesPerSecond: 1000,
    learningRate: 0.001,
  }));
}

function tests(accuracies: number[], seconds = 2): EpochTestRecord[] {
  return accuracies.map((accuracy, epoch) => ({ epoch, accuracy, loss: 0.05, seconds }));
}

describe('computeTimeToTarget', () => {
  it('sums the epoch seconds up to the first epoch at or above the target, test time apart', () => {
    const result = computeTimeToTarget(epochs([60, 50, 40, 45]), tests([0.985, 0.99, 0.992, 0.989]), 0.99);
    expect(result).toEqual({
      target: 0.99,
      reached: true,
      epoch: 1,
      seconds: 110,
      epochs: 4,
      best: { epoch: 2, accuracy: 0.992 },
      evaluationSeconds: 8,
      unmeasuredEpochs: [],
    });
  });

  it('counts exactly the target as reached (9,900 of 10,000 is 99%)', () => {
    const result = computeTimeToTarget(epochs([10, 10]), tests([9899 / 10000, 9900 / 10000]), 0.99);
    expect([result.epoch, result.seconds]).toEqual([1, 20]);
  });

  it('reports not reached with the best epoch when no epoch gets there', () => {
    const result = computeTimeToTarget(epochs([30, 30, 30]), tests([0.95, 0.987, 0.986], 1.5), 0.99);
    expect(result).toMatchObject({
      reached: false,
      epoch: null,
      seconds: null,
      epochs: 3,
      best: { epoch: 1, accuracy: 0.987 },
      evaluationSeconds: 4.5,
    });
  });

  it('counts the seconds of unmeasured epochs but lists them (resumed from an older checkpoint)', () => {
    const measured = tests([0.5, 0.5, 0.991]).slice(2);
    const result = computeTimeToTarget(epochs([10, 20, 30]), measured, 0.99);
    expect(result).toMatchObject({ reached: true, epoch: 2, seconds: 60, unmeasuredEpochs: [0, 1] });
  });

  it('gives a resumed run the answer of the uninterrupted one: only the records count', () => {
    // The history and test figures a resume restores from the checkpoint are the ones the
    // uninterrupted run had; wall-clock time spent before the interruption plays no part.
    const history = epochs([61.5, 58.25, 59]);
    const figures = tests([0.981, 0.9905, 0.993]);
    const whole = computeTimeToTarget(history, figures, 0.99);
    const restored = JSON.parse(JSON.stringify({ history: history.slice(0, 2), tests: figures.slice(0, 2) }));
    const resumed = computeTimeToTarget(
      [...restored.history, history[2]!],
      [...restored.tests, figures[2]!],
      0.99,
    );
    expect(resumed).toEqual(whole);
    expect(whole.seconds).toBe(119.75);
  });

  it('has no best and nothing reached before any epoch', () => {
    expect(computeTimeToTarget([], [], 0.99)).toMatchObject({ reached: false, best: null, epochs: 0 });
  });
});
