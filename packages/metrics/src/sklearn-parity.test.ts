import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { accuracy } from './accuracy.js';
import { argmaxRows } from './argmax-rows.js';
import { classificationMetrics } from './classification-metrics.js';
import { confusionMatrix } from './confusion-matrix.js';
import { evaluatePredictions } from './evaluate-predictions.js';
import { formatClassificationReport } from './format-classification-report.js';
import { CROSS_ENTROPY_EPSILON, logLoss } from './log-loss.js';
import { topKAccuracy } from './top-k-accuracy.js';

// Inputs and scikit-learn's outputs, written once by scripts/generate-sklearn-fixture.py.
interface Averaged {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}
interface FixtureCase {
  name: string;
  numClasses: number;
  dtype: 'float32' | 'float64';
  yTrue: number[];
  probabilities: number[];
  expected: {
    yPred: number[];
    accuracy: number;
    /**
     * scikit-learn's log_loss where no true-class probability is beyond the project's clip bounds
     * (there the definitions coincide); elsewhere the clipped definition computed with numpy.
     */
    logLoss: number;
    logLossBy: 'scikit-learn' | 'numpy';
    topK: Record<string, number>;
    confusionMatrix: number[][];
    perClass: (Averaged & { label: number })[];
    macroAvg: Averaged;
    weightedAvg: Averaged;
    reports: { digits: number; targetNames: string[] | null; text: string | null; skipped?: string }[];
  };
}
const fixture = JSON.parse(
  readFileSync(new URL('../test-fixtures/sklearn-reference.json', import.meta.url), 'utf8'),
) as { sklearnVersion: string; cases: FixtureCase[] };

const TOLERANCE = 1e-12;

// The project's clip bounds (CROSS_ENTROPY_EPSILON as float32 holds them), where scikit-learn's
// log_loss, which clips at the machine epsilon of the input's type, stops being our definition.
const CLIP_LOW = Math.fround(CROSS_ENTROPY_EPSILON);
const CLIP_HIGH = Math.fround(1 - CROSS_ENTROPY_EPSILON);

function clipBinds({ yTrue, probabilities, numClasses }: FixtureCase): boolean {
  return yTrue.some((label, i) => {
    const p = probabilities[i * numClasses + label]!;
    return p < CLIP_LOW || p > CLIP_HIGH;
  });
}

function expectClose(actual: number, expected: number): void {
  expect(Math.abs(actual - expected), `${actual} vs ${expected}`).toBeLessThanOrEqual(TOLERANCE);
}

function expectAveraged(actual: Averaged, expected: Averaged): void {
  expectClose(actual.precision, expected.precision);
  expectClose(actual.recall, expected.recall);
  expectClose(actual.f1, expected.f1);
  expect(actual.support).toBe(expected.support);
}

describe(`parity with scikit-learn ${fixture.sklearnVersion}`, () => {
  it('has the cases the fixture script writes', () => {
    expect(fixture.cases.length).toBeGreaterThanOrEqual(8);
    expect(fixture.cases.some((c) => c.dtype === 'float32')).toBe(true);
    expect(
      fixture.cases.flatMap((c) => c.expected.reports).filter((r) => r.text !== null).length,
    ).toBeGreaterThan(50);
  });

  it('takes the log-loss reference from scikit-learn wherever its clip and ours agree', () => {
    // numpy references only where a true-class probability lies beyond our clip bounds, and most
    // cases, a float32 one among them, still compare the loss with scikit-learn itself.
    for (const testCase of fixture.cases) {
      expect(testCase.expected.logLossBy, testCase.name).toBe(clipBinds(testCase) ? 'numpy' : 'scikit-learn');
    }
    const bySklearn = fixture.cases.filter((c) => c.expected.logLossBy === 'scikit-learn');
    expect(bySklearn.length).toBeGreaterThanOrEqual(5);
    expect(bySklearn.some((c) => c.dtype === 'float32')).toBe(true);
  });

  describe.each(fixture.cases)('$name', (testCase) => {
    const { numClasses, expected } = testCase;
    const yTrue = Uint8Array.from(testCase.yTrue);
    const probabilities =
      testCase.dtype === 'float32'
        ? Float32Array.from(testCase.probabilities)
        : Float64Array.from(testCase.probabilities);
    const yPred = argmaxRows(probabilities, numClasses);

    it('argmax, accuracy, top-k accuracy and log loss', () => {
      expect(Array.from(yPred)).toEqual(expected.yPred);
      expectClose(accuracy(yTrue, yPred), expected.accuracy);
      expectClose(logLoss(yTrue, probabilities, numClasses), expected.logLoss);
      for (const [k, value] of Object.entries(expected.topK)) {
        expectClose(topKAccuracy(yTrue, probabilities, Number(k), numClasses), value);
      }
    });

    it('confusion matrix and classification metrics', () => {
      expect(confusionMatrix(yTrue, yPred, numClasses)).toEqual(expected.confusionMatrix);
      for (const result of [
        classificationMetrics(yTrue, yPred, numClasses),
        evaluatePredictions(yTrue, probabilities, numClasses),
      ]) {
        expect(result.perClass.map((m) => m.label)).toEqual(expected.perClass.map((m) => m.label));
        for (const [i, m] of result.perClass.entries()) expectAveraged(m, expected.perClass[i]!);
        expectAveraged(result.macroAvg, expected.macroAvg);
        expectAveraged(result.weightedAvg, expected.weightedAvg);
        expectClose(result.accuracy, expected.accuracy);
      }
      const report = evaluatePredictions(yTrue, probabilities, numClasses);
      expect(report.count).toBe(yTrue.length);
      expectClose(report.loss, expected.logLoss);
    });

    it('classification report text, character for character', () => {
      const report = evaluatePredictions(yTrue, probabilities, numClasses);
      for (const { digits, targetNames, text } of expected.reports) {
        // Null where scikit-learn 1.2 differs from >= 1.5 on purpose (micro avg row, F1 formula); see the script.
        if (text === null) continue;
        expect(formatClassificationReport(report, { digits, targetNames: targetNames ?? undefined })).toBe(
          text,
        );
      }
    });
  });
});
