import { describe, expect, it } from 'vitest';
import { accuracy } from './accuracy.js';
import { argmaxRows } from './argmax-rows.js';
import { classificationMetrics } from './classification-metrics.js';
import { confusionMatrix } from './confusion-matrix.js';
import { evaluatePredictions } from './evaluate-predictions.js';
import { logLoss } from './log-loss.js';
import { expectInputError } from './test-helpers.js';

describe('evaluatePredictions', () => {
  it('argmaxes the rows and reports the same numbers as the separate metrics', () => {
    const yTrue = [0, 1, 2, 2, 1];
    const probabilities = Float32Array.from(
      [
        [0.8, 0.1, 0.1],
        [0.3, 0.6, 0.1],
        [0.2, 0.2, 0.6],
        [0.5, 0.25, 0.25],
        [0.1, 0.1, 0.8],
      ].flat(),
    );
    const report = evaluatePredictions(yTrue, probabilities, 3);
    const yPred = argmaxRows(probabilities, 3);
    expect(Array.from(yPred)).toEqual([0, 1, 2, 0, 2]);
    expect(report.count).toBe(5);
    expect(report.accuracy).toBe(accuracy(yTrue, yPred));
    expect(report.accuracy).toBe(0.6);
    expect(report.loss).toBe(logLoss(yTrue, probabilities, 3));
    expect(report.confusionMatrix).toEqual(confusionMatrix(yTrue, yPred, 3));
    const metrics = classificationMetrics(yTrue, yPred, 3);
    expect(report.perClass).toEqual(metrics.perClass);
    expect(report.macroAvg).toEqual(metrics.macroAvg);
    expect(report.weightedAvg).toEqual(metrics.weightedAvg);
  });

  it('uses 10 classes by default', () => {
    const probabilities = new Float64Array(30).fill(0.1);
    const report = evaluatePredictions([0, 0, 5], probabilities);
    expect(report.confusionMatrix).toHaveLength(10);
    expect(report.confusionMatrix[0]![0]).toBe(2);
    expect(report.confusionMatrix[5]![0]).toBe(1);
    expect(report.loss).toBeCloseTo(Math.log(10), 14);
  });

  it('rejects a probability matrix of the wrong size, naming it', () => {
    expectInputError(() => evaluatePredictions([0, 1], new Float32Array(19)), 'probabilities', /2 × 10 = 20/);
    expectInputError(() => evaluatePredictions([0, 12], new Float32Array(20)), 'yTrue', /got 12/);
    expectInputError(() => evaluatePredictions([], new Float32Array(0)), 'yTrue', /at least one label/);
  });
});
