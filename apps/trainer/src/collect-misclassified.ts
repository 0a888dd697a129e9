import { NUM_CLASSES } from '@mnist/core';
import type { MisclassifiedRecord } from './run-metrics.js';

/**
 * Finds the test images the model got wrong, most confident mistakes first (the most telling ones:
 * label noise or a real blind spot), and keeps at most `limit` of them. `probabilities` is
 * `count * 10` row-major, as `evaluateModel` returns it.
 */
export function collectMisclassified(
  labels: Uint8Array,
  predictions: Uint8Array,
  probabilities: Float32Array,
  limit: number,
): { count: number; shown: MisclassifiedRecord[] } {
  const wrong: MisclassifiedRecord[] = [];
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i]!;
    const predicted = predictions[i]!;
    if (label === predicted) continue;
    wrong.push({
      index: i,
      label,
      predicted,
      confidence: probabilities[i * NUM_CLASSES + predicted]!,
      trueProbability: probabilities[i * NUM_CLASSES + label]!,
    });
  }
  wrong.sort((a, b) => b.confidence - a.confidence || a.index - b.index);
  return { count: wrong.length, shown: wrong.slice(0, limit) };
}
