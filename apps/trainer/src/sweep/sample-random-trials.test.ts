import { describe, expect, it } from 'vitest';
import { expandGrid } from './expand-grid.js';
import { sampleRandomTrials } from './sample-random-trials.js';

const space = { convLayers: [2, 3, 4], kernelSize: [3, 5], dropout: [0.25, 0.5], learningRate: [1e-3, 3e-4] };
const key = (p: object) => JSON.stringify(p);

describe('sampleRandomTrials', () => {
  it('gives the same distinct trials for the same seed, and other ones for another seed', () => {
    const a = sampleRandomTrials(space, 5, 7);
    expect(a).toHaveLength(5);
    expect(new Set(a.map(key)).size).toBe(5);
    expect(sampleRandomTrials(space, 5, 7)).toEqual(a);
    const grid = new Set(expandGrid(space).map(key));
    for (const p of a) expect(grid.has(key(p))).toBe(true);
    const others = [1, 2, 3].map((seed) => sampleRandomTrials(space, 5, seed).map(key).join('|'));
    expect(others.some((o) => o !== a.map(key).join('|'))).toBe(true);
  });

  it('returns the whole grid, shuffled, when asked for more trials than it has', () => {
    const all = sampleRandomTrials(space, 100, 3);
    expect(all).toHaveLength(24);
    expect(new Set(all.map(key))).toEqual(new Set(expandGrid(space).map(key)));
    expect(all.map(key)).not.toEqual(expandGrid(space).map(key));
  });

  it('covers the grid evenly over many seeds (no value is never drawn)', () => {
    const counts = new Map<number, number>();
    for (let seed = 0; seed < 200; seed++) {
      for (const p of sampleRandomTrials(space, 2, seed))
        counts.set(p.convLayers as number, (counts.get(p.convLayers as number) ?? 0) + 1);
    }
    // 400 draws over 3 values: each expected ~133; a broken sampler (always the first) would give 0 for some.
    for (const value of [2, 3, 4]) expect(counts.get(value)).toBeGreaterThan(90);
  });

  it('draws a few points of a huge grid quickly', () => {
    const big = {
      denseUnits: Array.from({ length: 2000 }, (_, i) => i),
      batchSize: Array.from({ length: 2000 }, (_, i) => i + 1),
    };
    const picked = sampleRandomTrials(big, 10, 1);
    expect(new Set(picked.map(key)).size).toBe(10);
  });
});
