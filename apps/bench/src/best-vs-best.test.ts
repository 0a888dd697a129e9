import { describe, expect, it } from 'vitest';
import { bestVsBest } from './best-vs-best.js';
import type { SweepRow } from './report-tables.js';

function row(threads: number, batchSize: number, wasm: number | null, pytorch: number | null): SweepRow {
  return {
    batchSize,
    threads,
    wasmSamplesPerSecond: wasm,
    pytorchSamplesPerSecond: pytorch,
    wasmSamplesPerCpuSecond: wasm === null ? null : wasm / 2,
    pytorchSamplesPerCpuSecond: pytorch === null ? null : pytorch / 3,
  };
}

describe('bestVsBest', () => {
  it("takes each side's own fastest row, not the rows at equal thread counts", () => {
    // PyTorch peaks on 1 thread, we on 2: equal-thread ratios would be 0.25x and 0.5x.
    const result = bestVsBest([row(1, 64, 500, 2000), row(2, 64, 900, 1800)]);
    expect(result).toEqual({
      ours: { threads: 2, batchSize: 64, samplesPerSecond: 900, samplesPerCpuSecond: 450 },
      pytorch: { threads: 1, batchSize: 64, samplesPerSecond: 2000, samplesPerCpuSecond: 2000 / 3 },
      ratio: 0.45,
    });
  });

  it('ranges over batch sizes too when the rows hold several', () => {
    const result = bestVsBest([row(1, 32, 400, 1500), row(1, 512, 700, 2600), row(2, 256, 800, 2400)]);
    expect(result?.ours).toMatchObject({ threads: 2, batchSize: 256, samplesPerSecond: 800 });
    expect(result?.pytorch).toMatchObject({ threads: 1, batchSize: 512, samplesPerSecond: 2600 });
    expect(result?.ratio).toBeCloseTo(800 / 2600, 12);
  });

  it('keeps the earlier row on a tie and skips missing figures', () => {
    const result = bestVsBest([row(1, 64, 600, null), row(2, 64, 600, 1000), row(4, 64, null, Number.NaN)]);
    expect(result?.ours.threads).toBe(1);
    expect(result?.pytorch.threads).toBe(2);
  });

  it('is null when a side has no figure at all', () => {
    expect(bestVsBest([])).toBeNull();
    expect(bestVsBest([row(1, 64, 500, null), row(2, 64, 900, null)])).toBeNull();
    expect(bestVsBest([row(1, 64, null, 2000)])).toBeNull();
  });
});
