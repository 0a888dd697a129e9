/**
 * `pnpm bench` for apps/bench: the default model on tfjs-wasm (with @mnist/wasm-kernels), tfjs cpu
 * and tfjs-node against PyTorch CPU, every side in its own child process, rounds interleaved so
 * machine noise hits all sides alike. Prints Markdown tables and writes bench-results/latest.json.
 */
import { mkdir } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MnistError } from '@mnist/core';
import { writeFileAtomic } from '@mnist/core/node';
import { mnistDataPackageDir } from '@mnist/data/node';
import { DEFAULT_MODEL_CONFIG, type ModelConfig } from '@mnist/model';
import { BenchError } from './bench-error.js';
import type {
  BenchJob,
  BenchResult,
  ComputeJob,
  ComputeResult,
  DataResult,
  DescribeResult,
} from './bench-job.js';
import type { BenchOptions, SideName } from './bench-options.js';
import { formatFigure } from './format-figure.js';
import { machineInfo } from './machine-info.js';
import { BENCH_USAGE, parseBenchArgs } from './parse-bench-args.js';
import { type BestVsBest, bestVsBest } from './best-vs-best.js';
import {
  formatBestVsBest,
  formatDataTable,
  formatMainTable,
  formatSweepTable,
  type SweepRow,
} from './report-tables.js';
import { type ChildCommand, runChild } from './run-child.js';
import { type DataSummary, type SideSummary, summarizeCompute, summarizeData } from './summarize-results.js';
import { median } from './stats.js';

// Adam's learning rate in the trainer's defaults (DEFAULT_TRAINING_CONFIG of @mnist/train).
const LEARNING_RATE = 1e-3;

const workerPath = fileURLToPath(new URL('./tfjs-worker.js', import.meta.url));
const torchScript = fileURLToPath(new URL('../reference/torch-bench.py', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

function childFor(side: SideName, options: BenchOptions, threads: number): ChildCommand {
  if (side !== 'pytorch') return { command: process.execPath, args: [workerPath] };
  // OpenMP reads its pool size at start; torch.set_num_threads in the script sets the same number.
  return { command: options.python, args: [torchScript], env: { ...process.env, ...pytorchEnv(threads) } };
}

/**
 * Environment of the PyTorch child. glibc hands every allocation over 32 MB straight back to the
 * OS on free, so each 1,000-image inference batch (100 MB of activations per layer) page-faults
 * its memory in anew: 10x the CPU time of the same work in chunks of 100. Raising the mmap and trim
 * thresholds keeps that memory in the heap, as the WASM heap of tfjs-wasm, which never shrinks, does.
 *
 * On more than one thread, OpenMP's idle threads spin by default, waiting for the next parallel
 * region; on a machine with no idle core they take CPU from the thread doing the work. Measured
 * here on 2 threads at load 3, passive waiting trained 3-9x faster (README, "How it measures");
 * an `OMP_WAIT_POLICY` set by the caller wins, to re-check that on a quiet machine.
 */
function pytorchEnv(threads: number): Record<string, string> {
  return {
    OMP_NUM_THREADS: String(threads),
    MKL_NUM_THREADS: String(threads),
    ...(threads > 1 ? { OMP_WAIT_POLICY: process.env['OMP_WAIT_POLICY'] ?? 'PASSIVE' } : {}),
    MALLOC_MMAP_THRESHOLD_: String(2 ** 30),
    MALLOC_TRIM_THRESHOLD_: String(2 ** 30),
  };
}

/** The sides whose training is timed at every thread count and batch size. */
type TrainSide = 'tfjs-wasm' | 'pytorch';
const TRAIN_SIDES: readonly TrainSide[] = ['tfjs-wasm', 'pytorch'];

function isTrainSide(side: SideName): side is TrainSide {
  return (TRAIN_SIDES as readonly SideName[]).includes(side);
}

/** Training results of both sides, all rounds, at one thread count and batch size. */
interface TrainingCell {
  threads: number;
  batchSize: number;
  results: Record<TrainSide, ComputeResult[]>;
}

/** A sweep row with the per-round figures behind its medians, for the JSON file. */
type RecordedRow = SweepRow & {
  rounds: Record<'wasm' | 'pytorch', number[]>;
  threadsUsed: Record<'wasm' | 'pytorch', number[]>;
};

function rowOf(cell: TrainingCell): RecordedRow {
  const wasm = cell.results['tfjs-wasm'].length ? summarizeCompute(cell.results['tfjs-wasm']) : null;
  const pytorch = cell.results.pytorch.length ? summarizeCompute(cell.results.pytorch) : null;
  return {
    batchSize: cell.batchSize,
    threads: cell.threads,
    wasmSamplesPerSecond: wasm?.trainSamplesPerSecond ?? null,
    pytorchSamplesPerSecond: pytorch?.trainSamplesPerSecond ?? null,
    wasmSamplesPerCpuSecond: wasm?.trainSamplesPerCpuSecond ?? null,
    pytorchSamplesPerCpuSecond: pytorch?.trainSamplesPerCpuSecond ?? null,
    rounds: {
      wasm: cell.results['tfjs-wasm'].map((result) => result.train.samplesPerSecond),
      pytorch: cell.results.pytorch.map((result) => result.train.samplesPerSecond),
    },
    threadsUsed: {
      wasm: cell.results['tfjs-wasm'].map((result) => result.threads),
      pytorch: cell.results.pytorch.map((result) => result.threads),
    },
  };
}

async function run(
  side: SideName,
  options: BenchOptions,
  threads: number,
  job: BenchJob,
): Promise<BenchResult> {
  return runChild(childFor(side, options, threads), job);
}

function computeJob(
  side: SideName,
  options: BenchOptions,
  modelConfig: ModelConfig,
  settings: { batchSize: number; threads: number; trainOnly: boolean },
): ComputeJob {
  const slow = side === 'tfjs-cpu';
  // The sweep keeps the number of timed images constant, not the steps: 30 steps of 512 would take
  // eight times as long as 30 steps of 64 and add nothing but time.
  const scale = settings.trainOnly ? options.batchSize / settings.batchSize : 1;
  const scaled = (steps: number) => (steps === 0 ? 0 : Math.max(1, Math.round(steps * scale)));
  return {
    kind: 'compute',
    side,
    modelConfig,
    seed: options.seed,
    threads: settings.threads,
    batchSize: settings.batchSize,
    warmupSteps: slow ? Math.min(1, options.warmupSteps) : scaled(options.warmupSteps),
    steps: slow ? options.cpuSteps : Math.max(3, scaled(options.steps)),
    learningRate: LEARNING_RATE,
    inferBatchSize: options.inferBatchSize,
    inferWarmupBatchSize: slow ? 10 : options.inferBatchSize,
    inferBatches: settings.trainOnly ? 0 : slow ? 1 : options.inferBatches,
    latencyCalls: settings.trainOnly ? 0 : slow ? options.cpuLatencyCalls : options.latencyCalls,
  };
}

/** Alternates the order of sides from round to round, so neither always runs first on a warm or busy machine. */
function roundOrder<T>(items: readonly T[], round: number): T[] {
  return round % 2 === 0 ? [...items] : [...items].reverse();
}

/** The best-vs-best figures for the JSON file: `null` fields when a side has none. */
function bestFields(best: BestVsBest | null): {
  ours: BestVsBest['ours'] | null;
  pytorch: BestVsBest['pytorch'] | null;
  ratio: number | null;
} {
  return { ours: best?.ours ?? null, pytorch: best?.pytorch ?? null, ratio: best?.ratio ?? null };
}

function describeCompute(result: ComputeResult): string {
  const parts = [`train ${formatFigure(result.train.samplesPerSecond)} samples/s`];
  if (result.infer) parts.push(`infer ${formatFigure(result.infer.samplesPerSecond)} samples/s`);
  if (result.latencyMs?.length) parts.push(`latency median ${formatFigure(median(result.latencyMs))} ms`);
  parts.push(`RSS ${formatFigure(result.maxRssBytes / 1024 / 1024)} MB`);
  return parts.join(', ');
}

async function writeJsonAtomically(path: string, value: unknown): Promise<void> {
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
  } catch (cause) {
    throw new BenchError(`cannot write the results to ${path}: ${(cause as Error).message}`, { cause });
  }
}

async function main(): Promise<void> {
  const options = parseBenchArgs(process.argv.slice(2));
  if (options.help) {
    process.stdout.write(BENCH_USAGE);
    return;
  }
  const startedAt = new Date();
  const machine = machineInfo();
  const modelConfig = DEFAULT_MODEL_CONFIG;
  const mainThreads = options.threads[0]!;
  log(
    `bench: ${machine.nproc} cores (${machine.cpuModel}), load average ${machine.loadAverageAtStart.toFixed(2)}; ` +
      `batch ${options.batchSize}, ${options.rounds} round(s), training threads ${options.threads.join(',')}` +
      `${options.quick ? ', quick' : ''}`,
  );

  // Parameter counts first: the comparison means nothing unless both sides built the same model.
  const unavailable = new Map<SideName, string>();
  const described = new Map<SideName, DescribeResult>();
  for (const side of options.sides) {
    if (side === 'tfjs-cpu') continue; // Same model code as tfjs-wasm; nothing new to check.
    const result = await run(side, options, 1, { kind: 'describe', side, modelConfig, seed: options.seed });
    if (result.kind === 'unavailable') {
      unavailable.set(side, result.reason);
      log(`  ${side}: unavailable: ${result.reason}`);
    } else if (result.kind === 'describe') {
      described.set(side, result);
      log(
        `  ${side}: ${result.parameters.toLocaleString('en-US')} trainable parameters (${result.layers.join(', ')})`,
      );
    }
  }
  const counts = [...described.values()].map((result) => `${result.side} ${result.parameters}`);
  if (new Set([...described.values()].map((result) => result.parameters)).size > 1) {
    throw new BenchError(`the sides built different models: trainable parameters ${counts.join(' vs ')}`);
  }
  log(`  parameter counts match: ${counts.join(', ')}`);

  const sides = options.sides.filter((side) => !unavailable.has(side));
  const computeResults = new Map<SideName, ComputeResult[]>();
  const dataResults = new Map<SideName, DataResult[]>();
  const idxDir = mnistDataPackageDir();
  const dataSides = (['tfjs-wasm', 'pytorch'] as const).filter((side) => sides.includes(side));

  const trainSides = TRAIN_SIDES.filter((side) => sides.includes(side));
  const cells = new Map<string, TrainingCell>();
  const cellFor = (threads: number, batchSize: number): TrainingCell => {
    const key = `${threads}x${batchSize}`;
    let cell = cells.get(key);
    if (cell === undefined) {
      cell = { threads, batchSize, results: { 'tfjs-wasm': [], pytorch: [] } };
      cells.set(key, cell);
    }
    return cell;
  };
  /** Runs one compute job; a training side's result also goes into its thread and batch cell. */
  const runCompute = async (side: SideName, job: ComputeJob): Promise<ComputeResult> => {
    const result = await run(side, options, job.threads, job);
    if (result.kind !== 'compute')
      throw new BenchError(`${side}: expected a compute result, got ${result.kind}`);
    if (isTrainSide(side)) {
      cellFor(job.threads, job.batchSize).results[side].push(result);
      if (result.threads !== job.threads) {
        log(`  ${side}: asked for ${job.threads} training thread(s), ran ${result.threads}`);
      }
    }
    return result;
  };

  for (let round = 0; round < options.rounds; round++) {
    log(`round ${round + 1}/${options.rounds}`);
    // The cpu backend takes minutes per step: it runs in the first round only.
    const roundSides = round === 0 ? sides : sides.filter((side) => side !== 'tfjs-cpu');
    for (const side of roundOrder(roundSides, round)) {
      // tfjs cpu, a reference for plain JavaScript, trains on one thread: more would only add time.
      const threads = side === 'tfjs-cpu' ? 1 : mainThreads;
      const job = computeJob(side, options, modelConfig, {
        batchSize: options.batchSize,
        threads,
        trainOnly: false,
      });
      const result = await runCompute(side, job);
      computeResults.set(side, [...(computeResults.get(side) ?? []), result]);
      log(`  ${side}: ${describeCompute(result)}`);
    }
    // The other thread counts, in the same round, so that the thread table shares its noise.
    for (const threads of options.threads.slice(1)) {
      for (const side of roundOrder(trainSides, round)) {
        const job = computeJob(side, options, modelConfig, {
          batchSize: options.batchSize,
          threads,
          trainOnly: true,
        });
        const result = await runCompute(side, job);
        log(
          `  ${side}, ${threads} thread(s): train ${formatFigure(result.train.samplesPerSecond)} samples/s`,
        );
      }
    }
    for (const side of roundOrder(dataSides, round)) {
      const result = await run(side, options, 1, { kind: 'data', side, idxDir });
      if (result.kind !== 'data') throw new BenchError(`${side}: expected a data result, got ${result.kind}`);
      dataResults.set(side, [...(dataResults.get(side) ?? []), result]);
      log(`  ${side === 'pytorch' ? 'Python' : 'Node'} MNIST load: ${formatFigure(result.seconds)} s`);
    }
  }

  const summaries = new Map<SideName, SideSummary>();
  for (const [side, results] of computeResults) summaries.set(side, summarizeCompute(results));
  const dataSummaries = new Map<SideName, DataSummary>();
  for (const [side, results] of dataResults) dataSummaries.set(side, summarizeData(results));

  // The batch-size sweep; the main batch size was timed in the rounds above at every thread count.
  const sweepBatchSizes = [...new Set([...(options.batchSizes ?? []), options.batchSize])].sort(
    (a, b) => a - b,
  );
  if (options.batchSizes !== null && trainSides.length > 0) {
    for (const threads of options.threads) {
      for (const batchSize of sweepBatchSizes) {
        if (batchSize === options.batchSize) continue;
        for (let round = 0; round < options.rounds; round++) {
          for (const side of roundOrder(trainSides, round)) {
            await runCompute(
              side,
              computeJob(side, options, modelConfig, { batchSize, threads, trainOnly: true }),
            );
          }
        }
        const row = rowOf(cellFor(threads, batchSize));
        log(
          `sweep batch ${batchSize}, threads ${threads}: tfjs-wasm ${formatFigure(row.wasmSamplesPerSecond)}, ` +
            `PyTorch ${formatFigure(row.pytorchSamplesPerSecond)} samples/s`,
        );
      }
    }
  }
  const threadRows = options.threads
    .map((threads) => cells.get(`${threads}x${options.batchSize}`))
    .filter((cell): cell is TrainingCell => cell !== undefined)
    .map(rowOf);
  const sweep =
    options.batchSizes === null
      ? []
      : options.threads.flatMap((threads) =>
          sweepBatchSizes
            .map((batchSize) => cells.get(`${threads}x${batchSize}`))
            .filter((cell): cell is TrainingCell => cell !== undefined)
            .map(rowOf),
        );
  const threadScope = `batch ${options.batchSize}, threads ${options.threads.join(',')}`;
  const sweepScope = `batch sizes ${sweepBatchSizes.join(',')}, threads ${options.threads.join(',')}`;
  const best = {
    atBatchSize: { scope: threadScope, ...bestFields(bestVsBest(threadRows)) },
    sweep: sweep.length > 0 ? { scope: sweepScope, ...bestFields(bestVsBest(sweep)) } : null,
    // Each batch size of the sweep apart, each side at its fastest thread count.
    byBatchSize: sweepBatchSizes
      .map((batchSize) => ({ batchSize, rows: sweep.filter((row) => row.batchSize === batchSize) }))
      .filter(({ rows }) => rows.length > 0)
      .map(({ batchSize, rows }) => ({
        scope: `batch ${batchSize}, threads ${options.threads.join(',')}`,
        batchSize,
        ...bestFields(bestVsBest(rows)),
      })),
  };

  const finishedAt = new Date();
  const pytorchRuntime = described.get('pytorch')?.runtime ?? {};
  const wasmRuntime = described.get('tfjs-wasm')?.runtime ?? {};
  const mainTable = formatMainTable(options.sides, summaries, {
    batchSize: options.batchSize,
    inferBatchSize: options.inferBatchSize,
  });
  const dataTable = formatDataTable(dataSummaries.get('tfjs-wasm'), dataSummaries.get('pytorch'));
  const threadTable = threadRows.length > 1 ? formatSweepTable(threadRows) : null;
  const sweepTable = sweep.length > 0 ? formatSweepTable(sweep) : null;
  const lines = [
    '',
    `Default model (${[...described.values()][0]?.parameters.toLocaleString('en-US') ?? '?'} parameters), ` +
      `Adam ${LEARNING_RATE}, batch ${options.batchSize}, training on ${mainThreads} thread(s) ` +
      `(tfjs cpu: 1; inference and latency: 1 on tfjs); median of ${options.rounds} interleaved round(s)` +
      (sides.includes('tfjs-cpu') ? ` (tfjs cpu: first round only, ${options.cpuSteps} step(s))` : '') +
      '; (×) = ours / PyTorch.',
    '',
    mainTable,
    '',
    dataTable,
  ];
  for (const [side, reason] of unavailable) lines.push('', `${side} unavailable: ${reason}`);
  if (threadTable !== null) {
    lines.push(
      '',
      `Training by thread count, batch ${options.batchSize} (tfjs-wasm: trainMnist of @mnist/pipeline; CPU-s: all threads of the process):`,
      '',
      threadTable,
    );
  }
  if (trainSides.length === 2) lines.push('', formatBestVsBest(bestVsBest(threadRows), threadScope));
  if (sweepTable !== null) {
    lines.push('', 'Training throughput, batch size and thread sweep:', '', sweepTable);
    lines.push('', formatBestVsBest(bestVsBest(sweep), sweepScope));
    for (const { batchSize, scope } of best.byBatchSize) {
      lines.push(formatBestVsBest(bestVsBest(sweep.filter((row) => row.batchSize === batchSize)), scope));
    }
  }
  lines.push(
    '',
    `${machine.nproc} cores, ${machine.cpuModel}; Node ${machine.node}, tfjs ${wasmRuntime['tfjs'] ?? '?'}, kernel build ${wasmRuntime['kernelBuild'] ?? '?'}; ` +
      `Python ${pytorchRuntime['python'] ?? '?'}, torch ${pytorchRuntime['torch'] ?? '?'}, numpy ${pytorchRuntime['numpy'] ?? '?'}; ` +
      `load average ${machine.loadAverageAtStart.toFixed(2)} at start, ${(loadavg()[0] ?? Number.NaN).toFixed(2)} at end.`,
  );
  process.stdout.write(`${lines.join('\n')}\n`);

  const outPath =
    options.out === null
      ? join(repoRoot, 'bench-results', 'latest.json')
      : resolve(process.env['INIT_CWD'] ?? process.cwd(), options.out);
  await writeJsonAtomically(outPath, {
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    command: `pnpm bench ${process.argv.slice(2).join(' ')}`.trim(),
    machine: { ...machine, loadAverageAtEnd: loadavg()[0] },
    runtimes: {
      tfjs: wasmRuntime,
      pytorch: {
        ...pytorchRuntime,
        envByThreads: Object.fromEntries(options.threads.map((threads) => [threads, pytorchEnv(threads)])),
      },
    },
    options,
    model: {
      config: modelConfig,
      parameters: Object.fromEntries([...described].map(([s, r]) => [s, r.parameters])),
    },
    unavailable: Object.fromEntries(unavailable),
    summary: Object.fromEntries(
      [...summaries].map(([side, summary]) => {
        const reference = summaries.get('pytorch');
        const ratios =
          side === 'pytorch' || reference === undefined
            ? undefined
            : {
                trainSamplesPerSecond: summary.trainSamplesPerSecond / reference.trainSamplesPerSecond,
                inferSamplesPerSecond:
                  summary.inferSamplesPerSecond !== null && reference.inferSamplesPerSecond
                    ? summary.inferSamplesPerSecond / reference.inferSamplesPerSecond
                    : null,
                latencyMedianMs:
                  summary.latencyMedianMs !== null && reference.latencyMedianMs
                    ? summary.latencyMedianMs / reference.latencyMedianMs
                    : null,
                latencyP95Ms:
                  summary.latencyP95Ms !== null && reference.latencyP95Ms
                    ? summary.latencyP95Ms / reference.latencyP95Ms
                    : null,
                maxRssBytes: summary.maxRssBytes / reference.maxRssBytes,
              };
        return [side, { ...summary, ratioToPytorch: ratios }];
      }),
    ),
    data: Object.fromEntries(dataSummaries),
    threads: threadRows,
    bestVsBest: best,
    sweep,
    tables: { main: mainTable, data: dataTable, threads: threadTable, sweep: sweepTable },
    rounds: {
      compute: Object.fromEntries(
        [...computeResults].map(([side, results]) => [
          side,
          // Raw latencies are summarized to keep the file small; the medians above come from all of them.
          results.map(({ latencyMs, ...rest }) => ({ ...rest, latencyCalls: latencyMs?.length ?? 0 })),
        ]),
      ),
      data: Object.fromEntries(dataResults),
    },
  });
  log(`\nwrote ${outPath}`);
}

try {
  await main();
} catch (error) {
  // Any mnist-ts error (a bad flag, a missing data folder, a bad model config) is the user's to fix:
  // its message says what, so print it without a stack.
  if (MnistError.isInstance(error)) {
    process.stderr.write(`bench: ${error.message}\n`);
    process.exitCode = 1;
  } else {
    throw error;
  }
}
