import { describe, expect, it } from 'vitest';
import { expandGrid, gridPoint, gridSize } from './expand-grid.js';

describe('expandGrid', () => {
  it('gives every combination, the last parameter varying fastest', () => {
    expect(expandGrid({ dropout: [0.25, 0.5], convLayers: [2, 3] })).toEqual([
      { convLayers: 2, dropout: 0.25 },
      { convLayers: 2, dropout: 0.5 },
      { convLayers: 3, dropout: 0.25 },
      { convLayers: 3, dropout: 0.5 },
    ]);
  });

  it('expands the documented 3x2x2 sweep into 12 distinct trials', () => {
    const space = { convLayers: [2, 3, 4], kernelSize: [3, 5], dropout: [0.25, 0.5] };
    const grid = expandGrid(space);
    expect(gridSize(space)).toBe(12);
    expect(grid).toHaveLength(12);
    expect(new Set(grid.map((p) => JSON.stringify(p))).size).toBe(12);
    expect(grid[0]).toEqual({ convLayers: 2, kernelSize: 3, dropout: 0.25 });
    expect(grid[11]).toEqual({ convLayers: 4, kernelSize: 5, dropout: 0.5 });
    expect(grid).toContainEqual({ convLayers: 3, kernelSize: 3, dropout: 0.25 });
  });

  it('keeps per-layer filter lists whole and handles a single point', () => {
    expect(expandGrid({ filters: [8, [8, 16]] })).toEqual([{ filters: 8 }, { filters: [8, 16] }]);
    expect(expandGrid({ batchSize: [32] })).toEqual([{ batchSize: 32 }]);
  });

  it('decodes any index of a huge grid without listing it', () => {
    const big = {
      denseUnits: Array.from({ length: 1000 }, (_, i) => i),
      batchSize: Array.from({ length: 1000 }, (_, i) => i + 1),
    };
    expect(gridSize(big)).toBe(1_000_000);
    expect(gridPoint(big, 123_456)).toEqual({ denseUnits: 123, batchSize: 457 });
  });
});
