import type { SweepRow } from './report-tables.js';

/** One side's fastest training configuration among the rows of a sweep. */
export interface TrainingBest {
  threads: number;
  batchSize: number;
  samplesPerSecond: number;
  /** Images per CPU-second of the same configuration; `null` when it was not measured. */
  samplesPerCpuSecond: number | null;
}

/** Our fastest training configuration against PyTorch's, each side free to pick its own. */
export interface BestVsBest {
  ours: TrainingBest;
  pytorch: TrainingBest;
  /** `ours.samplesPerSecond / pytorch.samplesPerSecond`: above 1, our best trains faster. */
  ratio: number;
}

function best(
  rows: readonly SweepRow[],
  pick: (row: SweepRow) => [number | null, number | null],
): TrainingBest | null {
  let found: TrainingBest | null = null;
  for (const row of rows) {
    const [samplesPerSecond, samplesPerCpuSecond] = pick(row);
    if (samplesPerSecond === null || !Number.isFinite(samplesPerSecond)) continue;
    // Strictly faster only: on a tie the earlier row wins (the first --threads count, the main table's).
    if (found === null || samplesPerSecond > found.samplesPerSecond) {
      found = { threads: row.threads, batchSize: row.batchSize, samplesPerSecond, samplesPerCpuSecond };
    }
  }
  return found;
}

/**
 * The fastest tfjs-wasm row against the fastest PyTorch row, by training images per wall-clock
 * second. Comparing at equal thread counts only would flatter whichever side scales worse on this
 * machine (PyTorch's OpenMP pool has run slower on 2 threads than on 1 here); this ratio lets each
 * side run as it runs best. `null` when either side has no figure.
 */
export function bestVsBest(rows: readonly SweepRow[]): BestVsBest | null {
  const ours = best(rows, (row) => [row.wasmSamplesPerSecond, row.wasmSamplesPerCpuSecond]);
  const pytorch = best(rows, (row) => [row.pytorchSamplesPerSecond, row.pytorchSamplesPerCpuSecond]);
  if (ours === null || pytorch === null || pytorch.samplesPerSecond === 0) return null;
  return { ours, pytorch, ratio: ours.samplesPerSecond / pytorch.samplesPerSecond };
}
