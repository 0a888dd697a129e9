import { parseArgs } from 'node:util';
import { BenchError } from './bench-error.js';
import { ALL_SIDES, type BenchOptions, type SideName } from './bench-options.js';

/**
 * Defaults of a full run: the default model and batch size, 3 interleaved rounds, training on 1
 * and 2 threads on both tfjs-wasm and PyTorch (the 2 cores of the machine the figures come from).
 */
export const DEFAULT_BENCH_OPTIONS: Readonly<BenchOptions> = Object.freeze({
  steps: 30,
  warmupSteps: 5,
  cpuSteps: 1,
  batchSize: 64,
  threads: [1, 2],
  rounds: 3,
  quick: false,
  // With the default batch size of 64: the two batch sizes issue 13's targets name.
  batchSizes: [128],
  inferBatches: 3,
  inferBatchSize: 1000,
  latencyCalls: 1000,
  cpuLatencyCalls: 50,
  sides: [...ALL_SIDES],
  python: '/usr/bin/python3',
  out: null,
  seed: 42,
  help: false,
});

/** What `--quick` changes: one round of few steps, to check that everything runs. */
const QUICK_OVERRIDES: Partial<BenchOptions> = {
  steps: 5,
  warmupSteps: 1,
  cpuSteps: 1,
  rounds: 1,
  inferBatches: 1,
  latencyCalls: 100,
  cpuLatencyCalls: 10,
};

/** Help text of the `bench` command. */
export const BENCH_USAGE = `Usage: pnpm --filter bench bench [options]   (from the repo root: pnpm bench)

Training and inference throughput, latency, dataset load time and peak memory of the default
model on tfjs-wasm, tfjs cpu and tfjs-node against PyTorch CPU, interleaved in rounds.

Options:
  --steps <n>             timed training steps per round (default ${DEFAULT_BENCH_OPTIONS.steps})
  --warmup <n>            untimed warm-up steps (default ${DEFAULT_BENCH_OPTIONS.warmupSteps})
  --cpu-steps <n>         timed training steps on the slow tfjs cpu backend, which runs
                          in the first round only (default ${DEFAULT_BENCH_OPTIONS.cpuSteps})
  --batch-size <n>        training batch size (default ${DEFAULT_BENCH_OPTIONS.batchSize}, the trainer's default)
  --threads <list>        training threads of tfjs-wasm (train() of @mnist/train) and of
                          PyTorch, each timed side by side (default 1,2); the main table
                          (inference, latency, the other sides) runs at the first
  --rounds <n>            interleaved rounds; figures are medians over rounds (default ${DEFAULT_BENCH_OPTIONS.rounds})
  --batch-sizes <list>    also sweep training throughput (tfjs-wasm and PyTorch) over batch
                          sizes at each thread count, e.g. 32,64,128,256,512, timing as
                          many images as --steps steps of --batch-size (default 128)
  --infer-batches <n>     timed inference batches of 1,000 images per round (default ${DEFAULT_BENCH_OPTIONS.inferBatches})
  --latency-calls <n>     single-image predictions per round (default ${DEFAULT_BENCH_OPTIONS.latencyCalls})
  --sides <list>          any of ${ALL_SIDES.join(',')} (default all)
  --python <path>         Python with torch and numpy (default ${DEFAULT_BENCH_OPTIONS.python})
  --out <file>            JSON results (default bench-results/latest.json at the repo root)
  --seed <n>              seed of the random inputs and weights (default ${DEFAULT_BENCH_OPTIONS.seed})
  --quick                 one round of few steps: checks that everything runs, figures are rough
  -h, --help              show this help
`;

function positiveInt(flag: string, raw: string, max = 1_000_000): number {
  // Number('') is 0 and Number('1e3') is 1000: only plain digits are accepted.
  if (!/^\d+$/.test(raw.trim())) {
    throw new BenchError(`--${flag}: expected a positive integer, got "${raw}"`);
  }
  const value = Number(raw);
  if (value < 1 || value > max) {
    throw new BenchError(`--${flag}: expected an integer from 1 to ${max}, got ${value}`);
  }
  return value;
}

function intList(flag: string, raw: string, max?: number): number[] {
  const items = raw.split(',').map((item) => item.trim());
  if (items.some((item) => item === '')) {
    throw new BenchError(`--${flag}: expected a comma-separated list of integers, got "${raw}"`);
  }
  return [...new Set(items.map((item) => positiveInt(flag, item, max)))];
}

function sideList(raw: string): SideName[] {
  const sides = raw.split(',').map((item) => item.trim());
  for (const side of sides) {
    if (!(ALL_SIDES as readonly string[]).includes(side)) {
      throw new BenchError(`--sides: expected some of ${ALL_SIDES.join(', ')}, got "${side}"`);
    }
  }
  // Keep the canonical order so tables always read the same way.
  return ALL_SIDES.filter((side) => sides.includes(side));
}

/**
 * Parses the `bench` command line (without the node and script paths) into options, filling in
 * defaults; `--quick` lowers the defaults but explicit flags still win. Throws `BenchError` naming
 * the flag on anything unknown or out of range.
 */
export function parseBenchArgs(argv: readonly string[]): BenchOptions {
  let parsed: ReturnType<typeof parse>;
  try {
    // `pnpm bench -- --quick` forwards the `--` separator itself: skip it.
    parsed = parse(argv[0] === '--' ? argv.slice(1) : argv);
  } catch (error) {
    throw new BenchError(`bench: ${(error as Error).message}`, { cause: error });
  }
  const { values } = parsed;
  const options: BenchOptions = {
    ...DEFAULT_BENCH_OPTIONS,
    sides: [...DEFAULT_BENCH_OPTIONS.sides],
    threads: [...DEFAULT_BENCH_OPTIONS.threads],
    ...(values.quick ? QUICK_OVERRIDES : {}),
    quick: values.quick ?? false,
    help: values.help ?? false,
  };
  if (values.steps !== undefined) options.steps = positiveInt('steps', values.steps);
  if (values.warmup !== undefined) {
    // Zero warm-up is allowed: it shows the cold-start cost.
    options.warmupSteps = values.warmup.trim() === '0' ? 0 : positiveInt('warmup', values.warmup);
  }
  if (values['cpu-steps'] !== undefined) options.cpuSteps = positiveInt('cpu-steps', values['cpu-steps']);
  if (values['batch-size'] !== undefined) {
    options.batchSize = positiveInt('batch-size', values['batch-size'], 8192);
  }
  // 64: the most TrainingConfig.threads of @mnist/train accepts.
  if (values.threads !== undefined) options.threads = intList('threads', values.threads, 64);
  if (values.rounds !== undefined) options.rounds = positiveInt('rounds', values.rounds, 100);
  if (values['batch-sizes'] !== undefined) {
    options.batchSizes = intList('batch-sizes', values['batch-sizes'], 8192);
  }
  if (values['infer-batches'] !== undefined) {
    options.inferBatches = positiveInt('infer-batches', values['infer-batches']);
  }
  if (values['latency-calls'] !== undefined) {
    options.latencyCalls = positiveInt('latency-calls', values['latency-calls']);
    options.cpuLatencyCalls = Math.min(options.cpuLatencyCalls, options.latencyCalls);
  }
  if (values.sides !== undefined) options.sides = sideList(values.sides);
  if (values.python !== undefined) options.python = values.python;
  if (values.out !== undefined) options.out = values.out;
  if (values.seed !== undefined) options.seed = positiveInt('seed', values.seed, 2 ** 31 - 1);
  return options;
}

// node:util's parseArgs rather than commander: it is built in, and a flat flag list needs no more.
function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      steps: { type: 'string' },
      warmup: { type: 'string' },
      'cpu-steps': { type: 'string' },
      'batch-size': { type: 'string' },
      threads: { type: 'string' },
      rounds: { type: 'string' },
      'batch-sizes': { type: 'string' },
      'infer-batches': { type: 'string' },
      'latency-calls': { type: 'string' },
      sides: { type: 'string' },
      python: { type: 'string' },
      out: { type: 'string' },
      seed: { type: 'string' },
      quick: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}
