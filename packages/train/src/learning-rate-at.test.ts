import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  isPerStepSchedule,
  learningRateAt,
  meanEpochLearningRate,
  scheduleStepsProblem,
} from './learning-rate-at.js';
import type { StepLearningRateSchedule } from './training-types.js';

// PyTorch's own rates, written by scripts/generate-torch-fixture.py from OneCycleLR.
interface OneCycleCase {
  maxLr: number;
  totalSteps: number;
  pctStart: number;
  divFactor: number;
  finalDivFactor: number;
  rates: number[];
}
const TORCH = JSON.parse(
  readFileSync(new URL('../test-fixtures/torch-reference.json', import.meta.url), 'utf8'),
) as { torchVersion: string; oneCycle: OneCycleCase[] };

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

  it("matches PyTorch's OneCycleLR step for step, across epoch boundaries", () => {
    expect(TORCH.oneCycle.length).toBeGreaterThan(3);
    for (const c of TORCH.oneCycle) {
      const schedule = {
        kind: 'oneCycle',
        warmupFraction: c.pctStart,
        initialDivisor: c.divFactor,
        finalDivisor: c.finalDivFactor,
      } as const;
      // The same steps cut into epochs differently give the same rates: only the global step counts.
      for (const batchesPerEpoch of [1, c.totalSteps].filter((b) => c.totalSteps % b === 0)) {
        const epochs = c.totalSteps / batchesPerEpoch;
        const ours = Array.from({ length: c.totalSteps }, (_, step) =>
          learningRateAt(
            schedule,
            c.maxLr,
            Math.floor(step / batchesPerEpoch),
            epochs,
            step % batchesPerEpoch,
            batchesPerEpoch,
          ),
        );
        expect(ours).toHaveLength(c.rates.length);
        ours.forEach((rate, step) => {
          // Same doubles, same order of operations; only Math.cos may differ from libm by an ulp,
          // which `(start - end) / 2 * (cos + 1)` scales by up to half the peak: a few ulps of it.
          expect(
            Math.abs(rate - c.rates[step]!),
            `torch ${TORCH.torchVersion}, case ${JSON.stringify({ ...c, rates: undefined })}, step ${step}: ${rate} vs ${c.rates[step]}`,
          ).toBeLessThanOrEqual(c.maxLr * 2 ** -50);
        });
      }
    }
    // The fixture covers the start, the peak and the end as PyTorch defines them.
    const defaults = TORCH.oneCycle[0]!;
    expect(defaults.rates[0]).toBeCloseTo(defaults.maxLr / defaults.divFactor, 18);
    expect(Math.max(...defaults.rates)).toBe(defaults.maxLr);
  });

  it('warms up linearly from 0, then follows half a cosine down to the minimum at the last step', () => {
    const schedule = { kind: 'warmupCosine', warmupFraction: 0.2, minLearningRate: 0.1 } as const;
    // 2 epochs of 5 steps: warm-up over the first 2 steps (0.2 * 10), peak at step 2, decay over 7.
    const rates = Array.from({ length: 10 }, (_, step) =>
      learningRateAt(schedule, 1, Math.floor(step / 5), 2, step % 5, 5),
    );
    expect(rates[0]).toBe(0);
    expect(rates[1]).toBe(0.5);
    expect(rates[2]).toBe(1);
    const expected = (step: number) => 0.1 + 0.9 * 0.5 * (1 + Math.cos((Math.PI * (step - 2)) / 7));
    for (let step = 2; step < 10; step++) expect(rates[step]).toBeCloseTo(expected(step), 15);
    expect(rates[9]).toBeCloseTo(0.1, 15);
    // Without warm-up it starts at the peak.
    const none = { kind: 'warmupCosine', warmupFraction: 0, minLearningRate: 0 } as const;
    expect(learningRateAt(none, 1, 0, 2, 0, 5)).toBe(1);
    expect(learningRateAt(none, 1, 1, 2, 4, 5)).toBeCloseTo(0, 15);
  });

  it('tells the per-step kinds apart and reports their mean rate per epoch', () => {
    const oneCycle: StepLearningRateSchedule = {
      kind: 'oneCycle',
      warmupFraction: 0.3,
      initialDivisor: 25,
      finalDivisor: 1e4,
    };
    expect(isPerStepSchedule(oneCycle)).toBe(true);
    expect(isPerStepSchedule({ kind: 'warmupCosine', warmupFraction: 0.1, minLearningRate: 0 })).toBe(true);
    expect(isPerStepSchedule({ kind: 'cosine', minLearningRate: 0 })).toBe(false);
    expect(isPerStepSchedule({ kind: 'exponential', decayRate: 0.5 })).toBe(false);
    const torch = TORCH.oneCycle[0]!; // 20 steps: 2 epochs of 10
    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    expect(meanEpochLearningRate(oneCycle, torch.maxLr, 0, 2, 10)).toBeCloseTo(
      mean(torch.rates.slice(0, 10)),
      15,
    );
    expect(meanEpochLearningRate(oneCycle, torch.maxLr, 1, 2, 10)).toBeCloseTo(
      mean(torch.rates.slice(10)),
      15,
    );
  });

  it('refuses a one-cycle warm-up of exactly one step, where PyTorch divides by zero', () => {
    const schedule = {
      kind: 'oneCycle',
      warmupFraction: 0.1,
      initialDivisor: 25,
      finalDivisor: 1e4,
    } as const;
    expect(scheduleStepsProblem(schedule, 10)).toMatch(
      /"learningRateSchedule.warmupFraction" \(0.1\) makes the one-cycle warm-up exactly 1 of the run's 10 steps/,
    );
    expect(scheduleStepsProblem(schedule, 20)).toBeNull();
    expect(scheduleStepsProblem({ kind: 'cosine', minLearningRate: 0 }, 1)).toBeNull();
  });
});
