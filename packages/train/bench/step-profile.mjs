// Where a training step's time goes, kernel by kernel, in the loop users run: `train()` of this
// package, the default model, the wasm backend with @mnist/wasm-kernels, random images of MNIST
// shape. Every wasm kernel is re-registered wrapped in a clock, so each call is timed where it
// runs, with the caches as the step before left them. The kernel benchmark (packages/wasm-kernels,
// bench/kernels.bench.mjs) times each kernel over and over on the same inputs, in warm caches; the
// two differ most for the memory-bound kernels, whose data a training step brings in from DRAM.
// Run after `pnpm turbo run build --filter=@mnist/train...`: `pnpm --filter @mnist/train bench`, or
// `node bench/step-profile.mjs` in packages/train.
// Environment:
//   WORKLOAD=bench    the work per step of `pnpm bench`'s training (plain Adam, no augmentation);
//            trainer  `train()`'s defaults, what `pnpm train` runs (augmentation, schedule, decay)
//   THREADS=1 (2: the main thread's kernels only), BATCH=64, STEPS=60 (profiled, after WARMUP=10),
//   SEED=1 (the model's, and with WORKLOAD=trainer the run's), MODEL=<JSON of a ModelConfigInput>,
//   CALLERS=1 (one more step traced: who asked for each kernel, from a stack trace of every call),
//   OUT=<file> (the JSON of the table; default bench-results/step-profile.json at the repo root).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createModel, DEFAULT_MODEL_CONFIG } from '@mnist/model';
import { selectBackend } from '@mnist/runtime';
import * as tf from '@tensorflow/tfjs-core';
import { train } from '../dist/index.js';
import { benchTrainingConfig, randomTrainingData } from './bench-run.mjs';

const WORKLOAD = process.env.WORKLOAD ?? 'bench';
const THREADS = Number(process.env.THREADS ?? 1);
const BATCH = Number(process.env.BATCH ?? 64);
const STEPS = Number(process.env.STEPS ?? 60);
const WARMUP = Number(process.env.WARMUP ?? 10);
const SEED = Number(process.env.SEED ?? 1);
const CALLERS = process.env.CALLERS === '1';
if (WORKLOAD !== 'bench' && WORKLOAD !== 'trainer') {
  throw new Error(`step-profile: WORKLOAD must be 'bench' or 'trainer', got '${WORKLOAD}'`);
}

await selectBackend('wasm');
const { kernelBuild } = await import('@mnist/wasm-kernels');

// Who asked for a kernel (CALLERS=1): the innermost label (the backward pass of an op, the
// optimizer), else the first frame of the stack that names a known caller.
const labels = [];
function labelled(label, fn) {
  return function (...args) {
    labels.push(label);
    try {
      return fn.apply(this, args);
    } finally {
      labels.pop();
    }
  };
}
if (CALLERS) {
  // Every gradient function returns thunks the tape calls later: both are labelled.
  const seen = new Set();
  for (const config of tf.getKernelsForBackend('wasm')) {
    const gradient = tf.getGradient(config.kernelName);
    if (gradient == null || seen.has(gradient)) continue;
    seen.add(gradient);
    const label = `backward of ${config.kernelName}`;
    const inner = gradient.gradFunc;
    gradient.gradFunc = labelled(label, (...args) => {
      const thunks = inner(...args);
      return Object.fromEntries(Object.entries(thunks).map(([k, thunk]) => [k, labelled(label, thunk)]));
    });
  }
  tf.AdamOptimizer.prototype.applyGradients = labelled(
    'optimizer (tfjs Adam)',
    tf.AdamOptimizer.prototype.applyGradients,
  );
  Error.stackTraceLimit = 60;
}
const CALLER_PATTERNS = [
  ['optimizer (AdamW decay)', /AdamWOptimizer/],
  ['saved for backward (Engine.clone)', /saveTensorsForBackwardMode/],
  ['gradient tape: sum of two paths', /backpropagateGradients/],
  ['gradient tape: dy = ones', /Engine\.gradients/],
  ['gradients of the thread slices', /createThreadPoolStepRunner|thread-pool-step-runner/],
  ['dropout', /dropout_/],
  ['loss / statistics', /meanCrossEntropy|countCorrect/],
  ['weight sum / stats', /trainStep/],
];
function callerOf(stack) {
  const label = labels.at(-1);
  const lines = stack.split('\n').slice(2);
  if (label !== undefined) {
    return lines.some((line) => /saveTensorsForBackwardMode/.test(line))
      ? `${label} (saved for backward)`
      : label;
  }
  for (const [name, pattern] of CALLER_PATTERNS) if (lines.some((line) => pattern.test(line))) return name;
  const layer = lines.find((line) => /at (\w+)\.call /.test(line));
  if (layer !== undefined) return `forward: ${layer.match(/at (\w+)\.call /)[1]} layer`;
  return `other: ${lines.find((line) => !/tf-core/.test(line))?.trim() ?? '?'}`;
}

// Each kernel's calls in the current step; the per-step totals of the profiled steps. Per call
// position within a step (the graph is the same every step): the fastest of that call over the
// steps, whose sum moves least with a shared machine's load.
const inStep = new Map();
const perStep = new Map();
const perCaller = new Map();
const fastest = [];
let callIndex = 0;
let profiling = false;
let tracing = false;
for (const config of tf.getKernelsForBackend('wasm')) {
  const { kernelName, kernelFunc } = config;
  tf.unregisterKernel(kernelName, 'wasm');
  tf.registerKernel({
    ...config,
    kernelFunc: (args) => {
      if (!profiling && !tracing) return kernelFunc(args);
      const start = performance.now();
      const out = kernelFunc(args);
      const ms = performance.now() - start;
      if (tracing) {
        const key = `${callerOf(new Error().stack ?? '')} | ${kernelName}`;
        const entry = perCaller.get(key) ?? { ms: 0, calls: 0 };
        entry.ms += ms;
        entry.calls++;
        perCaller.set(key, entry);
        return out;
      }
      const at = callIndex++;
      if (fastest[at] === undefined || fastest[at].ms > ms) fastest[at] = { kernelName, ms };
      const entry = inStep.get(kernelName) ?? { ms: 0, calls: 0 };
      entry.ms += ms;
      entry.calls++;
      inStep.set(kernelName, entry);
      return out;
    },
  });
}

const modelConfig = process.env.MODEL
  ? { ...DEFAULT_MODEL_CONFIG, ...JSON.parse(process.env.MODEL) }
  : DEFAULT_MODEL_CONFIG;
const data = randomTrainingData((WARMUP + STEPS + (CALLERS ? 1 : 0)) * BATCH);
const model = createModel(modelConfig, { seed: SEED });
const config =
  WORKLOAD === 'bench'
    ? benchTrainingConfig(BATCH, THREADS)
    : { epochs: 1, batchSize: BATCH, seed: SEED, threads: THREADS, validationSplit: 0, earlyStopping: null };

const stepMs = [];
let stepStart = 0;
let cpuStart;
let cpuMs = Number.NaN;
await train({
  model,
  data,
  config,
  onEvent: (event) => {
    if (event.type !== 'batchEnd') return;
    const now = performance.now();
    if (profiling) {
      stepMs.push(now - stepStart);
      for (const [name, entry] of inStep) {
        const all = perStep.get(name) ?? [];
        all.push(entry);
        perStep.set(name, all);
      }
    }
    inStep.clear();
    callIndex = 0;
    if (event.batch === WARMUP - 1) cpuStart = process.cpuUsage();
    if (event.batch === WARMUP + STEPS - 1) {
      const cpu = process.cpuUsage(cpuStart);
      cpuMs = (cpu.user + cpu.system) / 1000;
    }
    profiling = event.batch >= WARMUP - 1 && event.batch < WARMUP + STEPS - 1;
    tracing = CALLERS && event.batch === WARMUP + STEPS - 1;
    stepStart = performance.now();
  },
});
model.dispose();

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};
const step = median(stepMs);
const fastestByKernel = new Map();
for (const call of fastest) {
  if (call !== undefined)
    fastestByKernel.set(call.kernelName, (fastestByKernel.get(call.kernelName) ?? 0) + call.ms);
}
const rows = [...perStep.entries()]
  .map(([kernel, entries]) => ({
    kernel,
    msPerStep: median(entries.map((e) => e.ms)),
    callsPerStep: median(entries.map((e) => e.calls)),
    fastestMsPerStep: fastestByKernel.get(kernel) ?? 0,
  }))
  .sort((a, b) => b.msPerStep - a.msPerStep);
const inKernels = rows.reduce((sum, row) => sum + row.msPerStep, 0);
const fastestInKernels = rows.reduce((sum, row) => sum + row.fastestMsPerStep, 0);
const wallMs = stepMs.reduce((a, b) => a + b, 0);

console.log(
  `\ntraining step profile: train() on ${THREADS} thread(s), the ${WORKLOAD} workload, batch ${BATCH}, ${stepMs.length} steps after ${WARMUP}; Node ${process.version}, kernel build ${kernelBuild()}`,
);
console.log(
  `  median step ${step.toFixed(2)} ms (fastest ${Math.min(...stepMs).toFixed(2)}); ${(cpuMs / stepMs.length).toFixed(2)} ms CPU a step, all threads; ${((stepMs.length * BATCH) / (wallMs / 1000)).toFixed(0)} samples/s`,
);
console.log(
  `  in wasm kernels ${inKernels.toFixed(2)} ms (${((inKernels / step) * 100).toFixed(0)}%, sum of each kernel's median; each call at its fastest: ${fastestInKernels.toFixed(2)} ms)${THREADS > 1 ? ", the main thread's only" : ''}; the rest JavaScript: tfjs's engine and gradients, batches, the loop`,
);
console.log(
  `  ${'kernel'.padEnd(24)} ${'ms/step'.padStart(8)} ${'share'.padStart(6)} ${'calls'.padStart(6)} ${'fastest'.padStart(8)}`,
);
for (const row of rows.filter((r) => r.msPerStep >= 0.01)) {
  console.log(
    `  ${row.kernel.padEnd(24)} ${row.msPerStep.toFixed(2).padStart(8)} ${`${((row.msPerStep / step) * 100).toFixed(1)}%`.padStart(6)} ${String(row.callsPerStep).padStart(6)} ${row.fastestMsPerStep.toFixed(2).padStart(8)}`,
  );
}
if (CALLERS) {
  console.log('  one step by caller | kernel:');
  for (const [key, t] of [...perCaller].sort((a, b) => b[1].ms - a[1].ms)) {
    console.log(
      `    ${key.padEnd(56)} ${t.ms.toFixed(2).padStart(7)} ms ${String(t.calls).padStart(4)} calls`,
    );
  }
}
const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const outPath = process.env.OUT
  ? resolve(process.env.INIT_CWD ?? process.cwd(), process.env.OUT)
  : resolve(repoRoot, 'bench-results', 'step-profile.json');
mkdirSync(dirname(outPath), { recursive: true });
writeFileSync(
  outPath,
  `${JSON.stringify(
    {
      date: new Date().toISOString(),
      command: 'node bench/step-profile.mjs (packages/train)',
      node: process.version,
      kernelBuild: kernelBuild(),
      workload: WORKLOAD,
      threads: THREADS,
      batch: BATCH,
      steps: stepMs.length,
      warmup: WARMUP,
      medianStepMs: step,
      cpuMsPerStep: cpuMs / stepMs.length,
      samplesPerSecond: (stepMs.length * BATCH) / (wallMs / 1000),
      inKernelsMs: inKernels,
      fastestInKernelsMs: fastestInKernels,
      kernels: rows,
      ...(CALLERS ? { callers: Object.fromEntries(perCaller) } : {}),
    },
    null,
    2,
  )}\n`,
);
// Repo-relative when under the repo (the default), so logs do not name this machine's paths.
const shown = relative(repoRoot, outPath);
console.log(`\nresults: ${shown.startsWith('..') ? outPath : shown}`);
