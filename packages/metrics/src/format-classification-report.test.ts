import { describe, expect, it } from 'vitest';
import { classificationMetrics } from './classification-metrics.js';
import { evaluatePredictions } from './evaluate-predictions.js';
import { formatClassificationReport, formatFixed } from './format-classification-report.js';
import { expectInputError } from './test-helpers.js';

describe('formatClassificationReport', () => {
  it('lays the table out as scikit-learn does (its documented example)', () => {
    const metrics = classificationMetrics([0, 1, 2, 2, 2], [0, 0, 2, 2, 1], 3);
    const text = formatClassificationReport(metrics, { targetNames: ['class 0', 'class 1', 'class 2'] });
    expect(text).toBe(
      [
        '              precision    recall  f1-score   support',
        '',
        '     class 0       0.50      1.00      0.67         1',
        '     class 1       0.00      0.00      0.00         1',
        '     class 2       1.00      0.67      0.80         3',
        '',
        '    accuracy                           0.60         5',
        '   macro avg       0.50      0.56      0.49         5',
        'weighted avg       0.70      0.60      0.61         5',
        '',
      ].join('\n'),
    );
  });

  it('prints an accuracy row even when a class appears in neither input (scikit-learn ≥ 1.5)', () => {
    const text = formatClassificationReport(classificationMetrics([0, 1], [1, 0], 3));
    expect(text.split('\n').slice(2)).toEqual([
      '           0       0.00      0.00      0.00         1',
      '           1       0.00      0.00      0.00         1',
      '           2       0.00      0.00      0.00         0',
      '',
      '    accuracy                           0.00         2',
      '   macro avg       0.00      0.00      0.00         2',
      'weighted avg       0.00      0.00      0.00         2',
      '',
    ]);
  });

  it('prints an F1 of exactly 0.75 as 0.8 at one digit, computing F1 from counts as scikit-learn ≥ 1.4', () => {
    // Class 1: tp 3, fp 2, fn 0, so F1 = 6/8 = 0.75 exactly (2pr/(p+r) would give 0.7499999999999999).
    const metrics = classificationMetrics([0, 0, 1, 1, 1], [1, 1, 1, 1, 1], 2);
    expect(metrics.perClass[1]!.f1).toBe(0.75);
    const lines = formatClassificationReport(metrics, { digits: 1 }).split('\n');
    expect(lines[3]).toBe('           1        0.6       1.0       0.8         3');
  });

  it('accepts an EvaluationReport, more digits, and widens the name column for long names', () => {
    const report = evaluatePredictions([0, 1], [0.9, 0.1, 0.2, 0.8], 2);
    const text = formatClassificationReport(report, {
      digits: 4,
      targetNames: ['zero', 'a rather long name'],
    });
    const lines = text.split('\n');
    expect(lines[0]).toBe(`${' '.repeat(18)}  precision    recall  f1-score   support`);
    expect(lines[3]).toBe('a rather long name     1.0000    1.0000    1.0000         1');
    expect(lines[5]).toBe(`${' '.repeat(10)}accuracy                         1.0000         2`);
  });

  it('rejects unusable options, naming them', () => {
    const metrics = classificationMetrics([0], [0], 2);
    expectInputError(
      () => formatClassificationReport(metrics, { targetNames: ['a'] }),
      'options.targetNames',
      /each of the 2 classes, got 1 names/,
    );
    expectInputError(() => formatClassificationReport(metrics, { digits: -1 }), 'options.digits', /got -1/);
    expectInputError(() => formatClassificationReport(metrics, { digits: 2.5 }), 'options.digits', /got 2.5/);
  });
});

describe('formatFixed', () => {
  it('rounds exact binary ties half to even, like Python', () => {
    expect([0.125, 0.375, 0.625, 0.875].map((v) => formatFixed(v, 2))).toEqual([
      '0.12',
      '0.38',
      '0.62',
      '0.88',
    ]);
    expect([0.5, 1.5, 2.5].map((v) => formatFixed(v, 0))).toEqual(['0', '2', '2']);
    expect([0.25, 0.75].map((v) => formatFixed(v, 1))).toEqual(['0.2', '0.8']);
  });

  it('rounds everything else to the nearest, judged on the exact binary value', () => {
    // 0.15 and 2.675 are stored slightly below the decimal; 0.135 is slightly above.
    expect(formatFixed(0.15, 1)).toBe('0.1');
    expect(formatFixed(2.675, 2)).toBe('2.67');
    expect(formatFixed(0.135, 2)).toBe('0.14');
    expect(formatFixed(0.125 + 2 ** -55, 2)).toBe('0.13');
    expect(formatFixed(2 / 3, 2)).toBe('0.67');
    expect(formatFixed(1, 2)).toBe('1.00');
    expect(formatFixed(0, 0)).toBe('0');
  });
});
