import { describe, expect, it } from 'vitest';
import { collectMisclassified } from './collect-misclassified.js';

function oneHotish(predicted: number, confidence: number): number[] {
  const row = new Array<number>(10).fill((1 - confidence) / 9);
  row[predicted] = confidence;
  return row;
}

describe('collectMisclassified', () => {
  it('lists wrong predictions, most confident first, up to the limit', () => {
    const labels = Uint8Array.of(1, 2, 3, 4);
    const predictions = Uint8Array.of(1, 5, 3, 7);
    const probabilities = Float32Array.from([
      ...oneHotish(1, 0.9),
      ...oneHotish(5, 0.6),
      ...oneHotish(3, 0.8),
      ...oneHotish(7, 0.91),
    ]);
    const all = collectMisclassified(labels, predictions, probabilities, 10);
    expect(all.count).toBe(2);
    expect(all.shown.map((m) => [m.index, m.label, m.predicted])).toEqual([
      [3, 4, 7],
      [1, 2, 5],
    ]);
    expect(all.shown[0]!.confidence).toBeCloseTo(0.91, 6);
    expect(all.shown[0]!.trueProbability).toBeCloseTo(0.01, 6);
    expect(collectMisclassified(labels, predictions, probabilities, 1)).toEqual({
      count: 2,
      shown: [all.shown[0]],
    });
  });
});
