import { describe, expect, it } from 'vitest';
import type { ComputeResult, DataResult } from './bench-job.js';
import { summarizeCompute, summarizeData } from './summarize-results.js';

function compute(train: number, infer: number | null, latencyMs: number[] | null, rss = 100): ComputeResult {
  return {
    kind: 'compute',
    side: 'tfjs-wasm',
    parameters: 458_570,
    threads: 1,
    // Twice as many CPU-seconds as wall seconds, as with two busy threads.
    train: {
      steps: 10,
      batchSize: 64,
      seconds: 640 / train,
      cpuSeconds: 1280 / train,
      samplesPerSecond: train,
      loss: 2.3,
    },
    infer:
      infer === null
        ? null
        : {
            batches: 1,
            batchSize: 1000,
            seconds: 1000 / infer,
            cpuSeconds: 2000 / infer,
            samplesPerSecond: infer,
          },
    latencyMs,
    maxRssBytes: rss,
    runtime: {},
  };
}

describe('summarizeCompute', () => {
  it('takes the median over rounds of every figure', () => {
    const summary = summarizeCompute([
      compute(100, 1000, [1, 2, 3], 300),
      compute(300, 3000, [5, 6, 7], 100),
      compute(200, 2000, [3, 4, 5], 200),
    ]);
    expect(summary).toMatchObject({
      side: 'tfjs-wasm',
      rounds: 3,
      parameters: 458_570,
      threads: 1,
      trainSamplesPerSecond: 200,
      trainSamplesPerCpuSecond: 100,
      inferSamplesPerSecond: 2000,
      inferSamplesPerCpuSecond: 1000,
      // Round medians 2, 6 and 4: their median.
      latencyMedianMs: 4,
      maxRssBytes: 200,
    });
    // Round p95s: 2.9, 6.9, 4.9.
    expect(summary.latencyP95Ms).toBeCloseTo(4.9, 10);
  });

  it('leaves inference and latency null when no round measured them (the sweep)', () => {
    const summary = summarizeCompute([compute(100, null, null), compute(120, null, [])]);
    expect(summary.trainSamplesPerSecond).toBe(110);
    expect(summary.inferSamplesPerSecond).toBeNull();
    expect(summary.inferSamplesPerCpuSecond).toBeNull();
    expect(summary.inferSamplesPerCpuSecond).toBeNull();
    expect(summary.latencyMedianMs).toBeNull();
    expect(summary.latencyP95Ms).toBeNull();
  });

  it('refuses no results, results of two sides and results of two thread counts', () => {
    expect(() => summarizeCompute([])).toThrow(/at least one result/);
    expect(() =>
      summarizeCompute([compute(1, 1, null), { ...compute(1, 1, null), side: 'pytorch' }]),
    ).toThrow(/one side/);
    expect(() => summarizeCompute([compute(1, 1, null), { ...compute(1, 1, null), threads: 2 }])).toThrow(
      /one thread count, got 1, 2/,
    );
  });

  it('reports the threads the side trained on, NaN included (tfjs-node sizes its own pool)', () => {
    const twoThreads = { ...compute(300, null, null), threads: 2 };
    expect(summarizeCompute([twoThreads, twoThreads]).threads).toBe(2);
    const pool = { ...compute(300, null, null), side: 'tfjs-node' as const, threads: Number.NaN };
    expect(summarizeCompute([pool, pool]).threads).toBeNaN();
  });
});

describe('summarizeData', () => {
  it('takes the median load time and peak memory', () => {
    const data = (seconds: number, rss: number): DataResult => ({
      kind: 'data',
      side: 'pytorch',
      seconds,
      images: 70_000,
      maxRssBytes: rss,
      runtime: {},
    });
    expect(summarizeData([data(0.5, 10), data(0.9, 30), data(0.7, 20)])).toEqual({
      side: 'pytorch',
      rounds: 3,
      seconds: 0.7,
      images: 70_000,
      maxRssBytes: 20,
    });
  });
});
