import { BenchError } from './bench-error.js';
import type { ComputeResult, DataResult } from './bench-job.js';
import type { SideName } from './bench-options.js';
import { median, percentile } from './stats.js';

/** One side's figures over all rounds: the median of each per-round figure. */
export interface SideSummary {
  side: SideName;
  rounds: number;
  threads: number;
  parameters: number;
  trainSamplesPerSecond: number;
  /** Training images per CPU-second of the side's process (all its threads). */
  trainSamplesPerCpuSecond: number;
  /** Batch inference throughput; `null` when no round measured it. */
  inferSamplesPerSecond: number | null;
  inferSamplesPerCpuSecond: number | null;
  /** Median over rounds of each round's median single-image latency. */
  latencyMedianMs: number | null;
  /** Median over rounds of each round's 95th-percentile single-image latency. */
  latencyP95Ms: number | null;
  maxRssBytes: number;
}

/** Dataset loading figures of one side over all rounds (medians). */
export interface DataSummary {
  side: SideName;
  rounds: number;
  seconds: number;
  images: number;
  maxRssBytes: number;
}

function medianOrNull(values: (number | null)[]): number | null {
  const present = values.filter((value): value is number => value !== null);
  return present.length === 0 ? null : median(present);
}

/**
 * Folds the compute results of one side and thread count (one per round) into medians. Taking each round's own
 * median and p95 first, then the median over rounds, keeps one disturbed round from moving a figure.
 */
export function summarizeCompute(results: readonly ComputeResult[]): SideSummary {
  const first = results[0];
  if (first === undefined) throw new BenchError('summarizeCompute: expected at least one result');
  if (results.some((result) => result.side !== first.side)) {
    throw new BenchError(
      `summarizeCompute: expected results of one side, got ${results.map((r) => r.side).join(', ')}`,
    );
  }
  // A median over rounds that trained on different thread counts would describe none of them.
  // Object.is: tfjs-node reports NaN threads in every round.
  if (results.some((result) => !Object.is(result.threads, first.threads))) {
    throw new BenchError(
      `summarizeCompute: expected results of one thread count, got ${results.map((r) => r.threads).join(', ')}`,
    );
  }
  return {
    side: first.side,
    rounds: results.length,
    threads: first.threads,
    parameters: first.parameters,
    trainSamplesPerSecond: median(results.map((result) => result.train.samplesPerSecond)),
    trainSamplesPerCpuSecond: median(
      results.map((result) => (result.train.steps * result.train.batchSize) / result.train.cpuSeconds),
    ),
    inferSamplesPerSecond: medianOrNull(results.map((result) => result.infer?.samplesPerSecond ?? null)),
    inferSamplesPerCpuSecond: medianOrNull(
      results.map((result) =>
        result.infer ? (result.infer.batches * result.infer.batchSize) / result.infer.cpuSeconds : null,
      ),
    ),
    latencyMedianMs: medianOrNull(
      results.map((result) => (result.latencyMs?.length ? median(result.latencyMs) : null)),
    ),
    latencyP95Ms: medianOrNull(
      results.map((result) => (result.latencyMs?.length ? percentile(result.latencyMs, 95) : null)),
    ),
    maxRssBytes: median(results.map((result) => result.maxRssBytes)),
  };
}

/** Folds the data results of one side (one per round) into medians. */
export function summarizeData(results: readonly DataResult[]): DataSummary {
  const first = results[0];
  if (first === undefined) throw new BenchError('summarizeData: expected at least one result');
  return {
    side: first.side,
    rounds: results.length,
    seconds: median(results.map((result) => result.seconds)),
    images: first.images,
    maxRssBytes: median(results.map((result) => result.maxRssBytes)),
  };
}
