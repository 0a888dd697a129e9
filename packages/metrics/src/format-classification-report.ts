import type { EvaluationReport } from './evaluation-types.js';
import type { ClassificationMetricsResult } from './classification-metrics.js';
import { MetricsInputError } from './metrics-input-error.js';

/** Options of {@link formatClassificationReport}. */
export interface FormatClassificationReportOptions {
  /** Decimal places of precision, recall, F1 and accuracy, an integer in [0, 20]; defaults to 2. */
  digits?: number;
  /** Row names, one per class in label order; defaults to the labels (`'0'`, `'1'`, …). */
  targetNames?: string[];
}

const HEADERS = ['precision', 'recall', 'f1-score', 'support'];
const COLUMN = 9;
// Name column is at least as wide as the longest fixed row heading, as in scikit-learn.
const LONGEST_HEADING = 'weighted avg';

/**
 * Lays out per-class and averaged metrics as scikit-learn's `classification_report` prints them,
 * character for character for the same numbers: a header row, one row per class (precision, recall,
 * f1-score, support), a blank line, then `accuracy`, `macro avg` and `weighted avg` rows; the
 * accuracy row leaves the precision and recall columns blank and every average row's support is
 * the sample count. Numbers are rounded half-to-even on their exact binary value, as Python's
 * `format` does (JavaScript's `toFixed` would round 0.125 up to 0.13; Python prints 0.12).
 *
 * scikit-learn ≥ 1.5 prints this `accuracy` row whenever every observed label is listed; older
 * versions printed a `micro avg` row instead when a listed class was absent from both inputs.
 *
 * @param report what {@link evaluatePredictions} or {@link classificationMetrics} returned.
 * @param options `digits` (default 2) and `targetNames` (default: the labels).
 * @returns the table, ending with a newline.
 * @throws {MetricsInputError} naming `options.digits` or `options.targetNames` when they are unusable.
 */
export function formatClassificationReport(
  report: EvaluationReport | ClassificationMetricsResult,
  options: FormatClassificationReportOptions = {},
): string {
  const { digits = 2, targetNames } = options;
  if (!Number.isInteger(digits) || digits < 0 || digits > 20) {
    throw new MetricsInputError(
      'options.digits',
      `options.digits must be an integer in [0, 20], got ${digits}`,
    );
  }
  const { perClass, macroAvg, weightedAvg, accuracy } = report;
  if (targetNames !== undefined && targetNames.length !== perClass.length) {
    throw new MetricsInputError(
      'options.targetNames',
      `options.targetNames must name each of the ${perClass.length} classes, got ${targetNames.length} names`,
    );
  }
  const names = targetNames ?? perClass.map((m) => String(m.label));
  const width = Math.max(LONGEST_HEADING.length, digits, ...names.map(codePointLength));
  const number = (value: number) => padStart(formatFixed(value, digits), COLUMN);
  const count = (value: number) => padStart(String(value), COLUMN);
  const row = (name: string, cells: string[]) =>
    `${padStart(name, width)} ${cells.map((c) => ` ${c}`).join('')}\n`;

  let text = `${row(
    '',
    HEADERS.map((h) => padStart(h, COLUMN)),
  )}\n`;
  perClass.forEach((m, i) => {
    text += row(names[i]!, [number(m.precision), number(m.recall), number(m.f1), count(m.support)]);
  });
  text += '\n';
  const blank = padStart('', COLUMN);
  text += row('accuracy', [blank, blank, number(accuracy), count(macroAvg.support)]);
  for (const [name, avg] of [
    ['macro avg', macroAvg],
    ['weighted avg', weightedAvg],
  ] as const) {
    text += row(name, [number(avg.precision), number(avg.recall), number(avg.f1), count(avg.support)]);
  }
  return text;
}

/**
 * `value` with `digits` decimals, rounded half-to-even on the exact binary value like Python's
 * `'{:.{digits}f}'.format(value)`. `toFixed` is already exact except on exact ties, which it rounds
 * up; a double that is a tie at `digits` has exactly `digits + 1` decimals, so 30 extra decimals
 * (far below the spacing of doubles near a tie) tell a true tie from a near one.
 */
export function formatFixed(value: number, digits: number): string {
  const extra = 30;
  const exact = value.toFixed(digits + extra);
  const tail = exact.slice(-extra);
  if (/^50*$/.test(tail)) {
    const kept = exact.slice(0, -extra).replace(/\.$/, '');
    const lastDigit = Number(kept[kept.length - 1]);
    if (lastDigit % 2 === 0) return kept;
  }
  return value.toFixed(digits);
}

// Python pads by code points; String#padStart counts UTF-16 units, which differs for emoji & co.
function codePointLength(text: string): number {
  return [...text].length;
}

function padStart(text: string, width: number): string {
  return ' '.repeat(Math.max(0, width - codePointLength(text))) + text;
}
