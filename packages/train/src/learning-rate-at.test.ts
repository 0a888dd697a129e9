import { describe, expect, it } from 'vitest';
import { learningRateAt } from './learning-rate-at.js';

describe('learningRateAt', () => {
  it('keeps a constant rate', () => {
    expect([0, 1, 5].map((e) => learningRateAt({ kind: 'constant' }, 0.01, e, 6))).toEqual([
      0.01, 0.01, 0.01,
    ]);
  });

  it('decays exponentially per epoch', () => {
    const rates = [0, 1, 2].map((e) => learningRateAt({ kind: 'exponential', decayRate: 0.5 }, 0.008, e, 3));
    expect(rates).toEqual([0.008, 0.004, 0.002]);
  });

  it('steps down every few epochs', () => {
    const rates = [0, 1, 2, 3, 4].map((e) =>
      learningRateAt({ kind: 'step', everyEpochs: 2, factor: 0.1 }, 1, e, 5),
    );
    expect(rates[0]).toBe(1);
    expect(rates[1]).toBe(1);
    expect(rates[2]).toBeCloseTo(0.1, 12);
    expect(rates[3]).toBeCloseTo(0.1, 12);
    expect(rates[4]).toBeCloseTo(0.01, 12);
  });

  it('follows half a cosine from the rate at the first epoch to the minimum at the last', () => {
    const schedule = { kind: 'cosine', minLearningRate: 0.1 } as const;
    expect(learningRateAt(schedule, 1, 0, 5)).toBe(1);
    expect(learningRateAt(schedule, 1, 2, 5)).toBeCloseTo(0.55, 12);
    expect(learningRateAt(schedule, 1, 4, 5)).toBeCloseTo(0.1, 12);
    expect(learningRateAt(schedule, 1, 0, 1)).toBe(1);
  });
});
