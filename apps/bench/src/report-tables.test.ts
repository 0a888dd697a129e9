import { describe, expect, it } from 'vitest';
import type { SideName } from './bench-options.js';
import { formatBestVsBest, formatDataTable, formatMainTable, formatSweepTable } from './report-tables.js';
import type { SideSummary } from './summarize-results.js';

const MB = 1024 * 1024;

function summary(side: SideName, train: number, infer: number, median: number, p95: number, rssMb: number) {
  return {
    side,
    rounds: 3,
    threads: 1,
    parameters: 458_570,
    trainSamplesPerSecond: train,
    trainSamplesPerCpuSecond: train / 2,
    inferSamplesPerSecond: infer,
    inferSamplesPerCpuSecond: infer / 2,
    latencyMedianMs: median,
    latencyP95Ms: p95,
    maxRssBytes: rssMb * MB,
  } satisfies SideSummary;
}

describe('formatMainTable', () => {
  const summaries = new Map<SideName, SideSummary>([
    ['tfjs-wasm', summary('tfjs-wasm', 250, 1500, 3, 6, 300)],
    ['tfjs-cpu', summary('tfjs-cpu', 10, 40, 50, 80, 400)],
    ['pytorch', summary('pytorch', 1000, 3000, 1.5, 2, 200)],
  ]);

  it('shows each of our figures with its ratio to PyTorch, and unavailable sides as such', () => {
    const table = formatMainTable(['tfjs-wasm', 'tfjs-cpu', 'tfjs-node', 'pytorch'], summaries, {
      batchSize: 64,
      inferBatchSize: 1000,
    });
    const rows = table.split('\n').map((line) =>
      line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim()),
    );
    expect(rows[0]).toEqual(['figure', 'tfjs-wasm (ours)', 'tfjs cpu', 'tfjs-node', 'PyTorch CPU']);
    expect(rows.slice(2)).toEqual([
      ['training, samples/s (batch 64)', '250 (0.25×)', '10.0 (0.01×)', 'unavailable', '1,000'],
      ['training, samples per CPU-second', '125 (0.25×)', '5.00 (0.01×)', 'unavailable', '500'],
      ['inference, samples/s (batch 1,000)', '1,500 (0.50×)', '40.0 (0.01×)', 'unavailable', '3,000'],
      ['inference, samples per CPU-second', '750 (0.50×)', '20.0 (0.01×)', 'unavailable', '1,500'],
      ['latency, 1 image, median ms', '3.00 (2.00×)', '50.0 (33.33×)', 'unavailable', '1.50'],
      ['latency, 1 image, p95 ms', '6.00 (3.00×)', '80.0 (40.00×)', 'unavailable', '2.00'],
      ['peak RSS, MB', '300 (1.50×)', '400 (2.00×)', 'unavailable', '200'],
      ['threads used', '1', '1', 'unavailable', '1'],
    ]);
  });

  it('shows the threads each side trained on, n/a where the side sizes its own pool', () => {
    const table = formatMainTable(
      ['tfjs-wasm', 'tfjs-node', 'pytorch'],
      new Map<SideName, SideSummary>([
        ['tfjs-wasm', { ...summaries.get('tfjs-wasm')!, threads: 2 }],
        ['tfjs-node', { ...summaries.get('tfjs-cpu')!, side: 'tfjs-node', threads: Number.NaN }],
        ['pytorch', { ...summaries.get('pytorch')!, threads: 2 }],
      ]),
      { batchSize: 64, inferBatchSize: 1000 },
    );
    expect(table.split('\n').at(-1)).toMatch(/^\| threads used +\| +2 \| +n\/a \| +2 \|$/);
  });

  it('shows n/a ratios when PyTorch did not run', () => {
    const table = formatMainTable(
      ['tfjs-wasm', 'pytorch'],
      new Map([['tfjs-wasm', summaries.get('tfjs-wasm')!]]),
      {
        batchSize: 64,
        inferBatchSize: 1000,
      },
    );
    expect(table).toContain('250 (n/a)');
    expect(table).toMatch(/\| +unavailable \|\n/);
  });
});

describe('formatDataTable', () => {
  it('puts Node beside Python with the ratio', () => {
    const table = formatDataTable(
      { side: 'tfjs-wasm', rounds: 1, seconds: 0.3, images: 70_000, maxRssBytes: 150 * MB },
      { side: 'pytorch', rounds: 1, seconds: 0.1, images: 70_000, maxRssBytes: 100 * MB },
    );
    expect(table).toMatch(/^\| load \+ decode, s +\|/m);
    expect(table).toMatch(/0\.300 \(3\.00×\) \|\s+0\.100 \|/);
    expect(table).toMatch(/150 \(1\.50×\) \|\s+100 \|/);
  });
});

describe('formatSweepTable', () => {
  it('lists one row per batch size and thread count with wall and CPU ratios', () => {
    const table = formatSweepTable([
      {
        batchSize: 32,
        threads: 1,
        wasmSamplesPerSecond: 100,
        pytorchSamplesPerSecond: 400,
        wasmSamplesPerCpuSecond: 300,
        pytorchSamplesPerCpuSecond: 600,
      },
      {
        batchSize: 512,
        threads: 2,
        wasmSamplesPerSecond: 300,
        pytorchSamplesPerSecond: null,
        wasmSamplesPerCpuSecond: 350,
        pytorchSamplesPerCpuSecond: null,
      },
    ]);
    const lines = table.split('\n');
    expect(lines).toHaveLength(4);
    // One thread count for both sides: tfjs-wasm trains with as many threads as PyTorch now.
    expect(lines[0]).toMatch(/^\| batch size \| threads \| tfjs-wasm samples\/s \| PyTorch samples\/s \|/);
    expect(lines[2]).toMatch(/^\| 32 +\| +1 \| +100 \| +400 \| +0\.25× \| +300 \| +600 \| +0\.50× \|$/);
    expect(lines[3]).toMatch(/^\| 512 +\| +2 \| +300 \| +n\/a \| +n\/a \| +350 \| +n\/a \| +n\/a \|$/);
  });
});

describe('formatBestVsBest', () => {
  const best = (threads: number, batchSize: number, samplesPerSecond: number) => ({
    threads,
    batchSize,
    samplesPerSecond,
    samplesPerCpuSecond: null,
  });

  it("names each side's thread count, and the ratio of the two bests", () => {
    expect(
      formatBestVsBest(
        { ours: best(2, 64, 900), pytorch: best(1, 64, 2000), ratio: 0.45 },
        'batch 64, threads 1,2',
      ),
    ).toBe(
      'Best vs best (batch 64, threads 1,2): tfjs-wasm 900 samples/s (2 threads) vs PyTorch 2,000 samples/s (1 thread): 0.45×.',
    );
  });

  it('names the batch sizes when the two bests were found at different ones', () => {
    const line = formatBestVsBest(
      { ours: best(2, 256, 800), pytorch: best(1, 512, 2600), ratio: 800 / 2600 },
      'whole sweep',
    );
    expect(line).toContain(
      'tfjs-wasm 800 samples/s (batch 256, 2 threads) vs PyTorch 2,600 samples/s (batch 512, 1 thread): 0.31×',
    );
  });

  it('says n/a when a side has no figure', () => {
    expect(formatBestVsBest(null, 'batch 64')).toBe(
      'Best vs best (batch 64): n/a (a side has no training figure).',
    );
  });
});
