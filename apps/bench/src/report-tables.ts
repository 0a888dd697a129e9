import type { BestVsBest, TrainingBest } from './best-vs-best.js';
import type { SideName } from './bench-options.js';
import { formatFigure, formatRatio, ratio } from './format-figure.js';
import { formatMarkdownTable } from './format-table.js';
import type { DataSummary, SideSummary } from './summarize-results.js';

/** Column titles of the sides. */
export const SIDE_TITLES: Readonly<Record<SideName, string>> = {
  'tfjs-wasm': 'tfjs-wasm (ours)',
  'tfjs-cpu': 'tfjs cpu',
  'tfjs-node': 'tfjs-node',
  pytorch: 'PyTorch CPU',
};

const MB = 1024 * 1024;

/**
 * One row of the sweep: training throughput of both sides at one batch size and thread count
 * (`threads` of @mnist/train on tfjs-wasm, `torch.set_num_threads` on PyTorch).
 */
export interface SweepRow {
  batchSize: number;
  threads: number;
  wasmSamplesPerSecond: number | null;
  pytorchSamplesPerSecond: number | null;
  wasmSamplesPerCpuSecond: number | null;
  pytorchSamplesPerCpuSecond: number | null;
}

/**
 * The main comparison as a Markdown table: one row per figure, one column per side, each of our
 * cells followed by its ratio to PyTorch's (`ours / PyTorch`). A side that could not run shows
 * `unavailable` (its reason is printed under the table).
 */
export function formatMainTable(
  sides: readonly SideName[],
  summaries: ReadonlyMap<SideName, SideSummary>,
  context: { batchSize: number; inferBatchSize: number },
): string {
  const reference = summaries.get('pytorch');
  const figures: { label: string; pick: (summary: SideSummary) => number | null }[] = [
    { label: `training, samples/s (batch ${context.batchSize})`, pick: (s) => s.trainSamplesPerSecond },
    { label: 'training, samples per CPU-second', pick: (s) => s.trainSamplesPerCpuSecond },
    {
      label: `inference, samples/s (batch ${formatFigure(context.inferBatchSize)})`,
      pick: (s) => s.inferSamplesPerSecond,
    },
    { label: 'inference, samples per CPU-second', pick: (s) => s.inferSamplesPerCpuSecond },
    { label: 'latency, 1 image, median ms', pick: (s) => s.latencyMedianMs },
    { label: 'latency, 1 image, p95 ms', pick: (s) => s.latencyP95Ms },
    { label: 'peak RSS, MB', pick: (s) => s.maxRssBytes / MB },
    { label: 'threads used', pick: (s) => s.threads },
  ];
  const rows = figures.map(({ label, pick }) => [
    label,
    ...sides.map((side) => {
      const summary = summaries.get(side);
      if (summary === undefined) return 'unavailable';
      const value = pick(summary);
      if (label === 'threads used') return value === null || !Number.isFinite(value) ? 'n/a' : String(value);
      if (side === 'pytorch') return formatFigure(value);
      const reference_ = reference === undefined ? null : pick(reference);
      return `${formatFigure(value)} (${formatRatio(ratio(value, reference_))})`;
    }),
  ]);
  return formatMarkdownTable(['figure', ...sides.map((side) => SIDE_TITLES[side])], rows);
}

/** Dataset load and decode time and peak memory, Node (`@mnist/data`) beside Python (numpy). */
export function formatDataTable(node: DataSummary | undefined, python: DataSummary | undefined): string {
  const cell = (summary: DataSummary | undefined, value: (s: DataSummary) => number, ours: boolean) => {
    if (summary === undefined) return 'unavailable';
    const figure = formatFigure(value(summary));
    if (!ours) return figure;
    return `${figure} (${formatRatio(ratio(value(summary), python === undefined ? null : value(python)))})`;
  };
  return formatMarkdownTable(
    ['MNIST, 70,000 images', 'Node, @mnist/data loadMnist', 'Python, numpy (reference)'],
    [
      ['load + decode, s', cell(node, (s) => s.seconds, true), cell(python, (s) => s.seconds, false)],
      [
        'peak RSS, MB',
        cell(node, (s) => s.maxRssBytes / MB, true),
        cell(python, (s) => s.maxRssBytes / MB, false),
      ],
    ],
  );
}

/**
 * The batch-size and thread sweep of training throughput, tfjs-wasm against PyTorch at the same
 * batch size and thread count: images per wall-clock second and per CPU-second of the side's
 * process (all its threads), each with the ratio `wasm / PyTorch`.
 */
export function formatSweepTable(rows: readonly SweepRow[]): string {
  return formatMarkdownTable(
    [
      'batch size',
      'threads',
      'tfjs-wasm samples/s',
      'PyTorch samples/s',
      'wasm / PyTorch',
      'tfjs-wasm per CPU-s',
      'PyTorch per CPU-s',
      'wasm / PyTorch (CPU)',
    ],
    rows.map((row) => [
      String(row.batchSize),
      String(row.threads),
      formatFigure(row.wasmSamplesPerSecond),
      formatFigure(row.pytorchSamplesPerSecond),
      formatRatio(ratio(row.wasmSamplesPerSecond, row.pytorchSamplesPerSecond)),
      formatFigure(row.wasmSamplesPerCpuSecond),
      formatFigure(row.pytorchSamplesPerCpuSecond),
      formatRatio(ratio(row.wasmSamplesPerCpuSecond, row.pytorchSamplesPerCpuSecond)),
    ]),
  );
}

function describeBest(best: TrainingBest, withBatch: boolean): string {
  const threads = `${best.threads} thread${best.threads === 1 ? '' : 's'}`;
  return `${formatFigure(best.samplesPerSecond)} samples/s (${withBatch ? `batch ${best.batchSize}, ` : ''}${threads})`;
}

/**
 * The best-vs-best line: our fastest training configuration against PyTorch's, each picked from
 * `scope` (e.g. `batch 64` or `whole sweep`); batch sizes are named only when they may differ.
 */
export function formatBestVsBest(best: BestVsBest | null, scope: string): string {
  if (best === null) return `Best vs best (${scope}): n/a (a side has no training figure).`;
  const withBatch = best.ours.batchSize !== best.pytorch.batchSize;
  return (
    `Best vs best (${scope}): tfjs-wasm ${describeBest(best.ours, withBatch)} vs ` +
    `PyTorch ${describeBest(best.pytorch, withBatch)}: ${formatRatio(best.ratio)}.`
  );
}
