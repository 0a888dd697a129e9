import { describe, expect, it } from 'vitest';
import { classificationMetrics } from './classification-metrics.js';
import { expectInputError } from './test-helpers.js';

describe('classificationMetrics', () => {
  it('matches hand-computed precision, recall, F1 and support', () => {
    // Confusion matrix [[1,1,0],[0,1,0],[1,0,2]]: predicted counts 2, 2, 2; supports 2, 1, 3.
    const result = classificationMetrics([0, 0, 1, 2, 2, 2], [0, 1, 1, 2, 0, 2], 3);
    const [c0, c1, c2] = result.perClass;
    expect(c0).toEqual({ label: 0, precision: 0.5, recall: 0.5, f1: 0.5, support: 2 });
    expect(c1).toMatchObject({ label: 1, precision: 0.5, recall: 1, support: 1 });
    expect(c1!.f1).toBeCloseTo(2 / 3, 15);
    expect(c2).toMatchObject({ label: 2, precision: 1, support: 3 });
    expect(c2!.recall).toBeCloseTo(2 / 3, 15);
    expect(c2!.f1).toBeCloseTo(0.8, 15);
    expect(result.accuracy).toBeCloseTo(4 / 6, 15);
    expect(result.macroAvg.precision).toBeCloseTo(2 / 3, 15);
    expect(result.macroAvg.recall).toBeCloseTo(13 / 18, 15);
    expect(result.macroAvg.f1).toBeCloseTo(59 / 90, 15);
    expect(result.macroAvg.support).toBe(6);
    expect(result.weightedAvg.precision).toBeCloseTo(0.75, 15);
    expect(result.weightedAvg.recall).toBeCloseTo(4 / 6, 15);
    expect(result.weightedAvg.f1).toBeCloseTo(61 / 90, 15);
    expect(result.weightedAvg.support).toBe(6);
  });

  it('reports 0 where scikit-learn divides by zero (its zero_division="warn" default)', () => {
    // Class 2 is never predicted, class 3 never true, class 4 appears in neither.
    const result = classificationMetrics([0, 0, 1, 1, 2], [0, 1, 1, 1, 3], 5);
    const [, , neverPredicted, neverTrue, absent] = result.perClass;
    expect(neverPredicted).toEqual({ label: 2, precision: 0, recall: 0, f1: 0, support: 1 });
    expect(neverTrue).toEqual({ label: 3, precision: 0, recall: 0, f1: 0, support: 0 });
    expect(absent).toEqual({ label: 4, precision: 0, recall: 0, f1: 0, support: 0 });
    // Absent classes still count (as 0) in the macro average, and weigh nothing in the weighted one.
    expect(result.macroAvg.precision).toBeCloseTo((1 + 2 / 3) / 5, 15);
    expect(result.macroAvg.recall).toBeCloseTo((0.5 + 1) / 5, 15);
    expect(result.weightedAvg.recall).toBeCloseTo((2 * 0.5 + 2 * 1) / 5, 15);
    expect(result.accuracy).toBeCloseTo(3 / 5, 15);
  });

  it('gives precision 0 but a defined recall when a class is predicted only wrongly', () => {
    const result = classificationMetrics([0, 1], [1, 1], 2);
    expect(result.perClass[0]).toEqual({ label: 0, precision: 0, recall: 0, f1: 0, support: 1 });
    expect(result.perClass[1]).toEqual({ label: 1, precision: 0.5, recall: 1, f1: 2 / 3, support: 1 });
  });

  it('lists all 10 digits by default', () => {
    const result = classificationMetrics([3], [3]);
    expect(result.perClass.map((m) => m.label)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(result.macroAvg).toEqual({ precision: 0.1, recall: 0.1, f1: 0.1, support: 1 });
    expect(result.weightedAvg).toEqual({ precision: 1, recall: 1, f1: 1, support: 1 });
  });

  it('rejects empty, mismatched and out-of-range input', () => {
    expectInputError(() => classificationMetrics([], []), 'yTrue', /at least one label/);
    expectInputError(() => classificationMetrics([1, 2], [1]), 'yPred', /yPred has 1 labels but yTrue has 2/);
    expectInputError(() => classificationMetrics([1, 2], [1, 2], 2), 'yTrue', /yTrue\[1\] .* got 2/);
  });
});
