// Where one training step goes: `train()` of this package (the loop users get) on the wasm backend
// with @mnist/wasm-kernels, the default model, random images, per-step wall and CPU time, and with
// KERNELS=1 a per-kernel table of the main thread (count and time per step, each kernel wrapped in a
// timer, and each call at its fastest over the steps), with CALLERS=1 also who asked for each kernel (the optimizer, the gradient tape, a layer,
// the loss), from a stack trace of every call of one step.
// Run after `pnpm turbo run build --filter=@mnist/train...`, from the worktree:
//   node packages/train/bench/step-profile.bench.mjs
// Environment: THREADS=1 (or 2), BATCH=64, WARMUP=5, STEPS=30, SEED=42, KERNELS=0|1, CALLERS=0|1, MODEL=<JSON>,
// JSON=<file> (writes the figures). Times are of this process; with THREADS=2 the gradient
// thread's kernels are not in the kernel table (run it with --cpu-prof for both threads' time).
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { createModel, DEFAULT_MODEL_CONFIG } from '@mnist/model';
import { selectBackend } from '@mnist/runtime';
import * as tf from '@tensorflow/tfjs-core';
import { train } from '../dist/index.js';

// Not a dependency of this package: the copy @mnist/runtime registers (the workspace's, by its real path).
const { kernelBuild } = await import('../../wasm-kernels/dist/index.js');

const THREADS = Number(process.env.THREADS ?? 1);
const BATCH = Number(process.env.BATCH ?? 64);
const WARMUP = Number(process.env.WARMUP ?? 5);
const STEPS = Number(process.env.STEPS ?? 30);
const SEED = Number(process.env.SEED ?? 42);
const KERNELS = process.env.KERNELS === '1';
const CALLERS = process.env.CALLERS === '1';

await selectBackend('wasm');

function randomImageSet(count, seed) {
  // A small LCG: the figures do not depend on the pixels, only on the shapes.
  let state = seed >>> 0;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const images = new Float32Array(count * 28 * 28);
  for (let i = 0; i < images.length; i++) images[i] = next();
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) labels[i] = Math.floor(next() * 10);
  return { images, labels, count, rows: 28, cols: 28 };
}

// Who asked for a kernel: the innermost label (the backward pass of an op, the optimizer), else
// the first frame of the stack that names a known caller.
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
if (process.env.CALLERS === '1') {
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

if (CALLERS) Error.stackTraceLimit = 60;
const perKernel = new Map();
const perCaller = new Map();
// Per call position within a step (the graph is the same every step): the fastest of that call
// over the timed steps. Summed, a step as the least disturbed moment of each call saw it: on a
// shared machine the figure that moves least with the other processes' load.
let callIndex = 0;
const fastest = [];
let timing = false;
let tracing = false;
if (KERNELS) {
  for (const config of tf.getKernelsForBackend('wasm')) {
    const inner = config.kernelFunc;
    config.kernelFunc = (args) => {
      if (!timing) return inner(args);
      const start = performance.now();
      const out = inner(args);
      const ms = performance.now() - start;
      const at = callIndex++;
      if (fastest[at] === undefined || fastest[at].ms > ms) fastest[at] = { name: config.kernelName, ms };
      const entry = perKernel.get(config.kernelName) ?? { ms: 0, calls: 0 };
      entry.ms += ms;
      entry.calls += 1;
      perKernel.set(config.kernelName, entry);
      if (tracing) {
        const stack = new Error().stack ?? '';
        if (process.env.DUMP === config.kernelName) console.log(stack);
        const key = `${callerOf(stack)} | ${config.kernelName}`;
        const c = perCaller.get(key) ?? { ms: 0, calls: 0 };
        c.ms += ms;
        c.calls += 1;
        perCaller.set(key, c);
      }
      return out;
    };
  }
}

// MODEL=<JSON of a ModelConfigInput> profiles another architecture than the default.
const modelConfig = process.env.MODEL
  ? { ...DEFAULT_MODEL_CONFIG, ...JSON.parse(process.env.MODEL) }
  : DEFAULT_MODEL_CONFIG;
const model = createModel(modelConfig, { seed: SEED });
const data = {
  train: randomImageSet((WARMUP + STEPS + (CALLERS ? 1 : 0)) * BATCH, SEED),
  validation: randomImageSet(0, SEED),
};
const stepMs = [];
let last = 0;
let cpuStart = null;
let wallStart = 0;
let figures = null;
await train({
  model,
  data,
  config: {
    epochs: 1,
    batchSize: BATCH,
    seed: SEED,
    threads: THREADS,
    validationSplit: 0,
    earlyStopping: null,
  },
  onEvent(event) {
    if (event.type === 'trainStart') last = performance.now();
    if (event.type !== 'batchEnd') return;
    const now = performance.now();
    callIndex = 0;
    if (event.batch >= WARMUP && event.batch < WARMUP + STEPS) stepMs.push(now - last);
    last = now;
    if (event.batch === WARMUP - 1) {
      timing = true;
      cpuStart = process.cpuUsage();
      wallStart = now;
    }
    if (event.batch === WARMUP + STEPS - 1) {
      const cpu = process.cpuUsage(cpuStart);
      figures = { wallMs: now - wallStart, cpuMs: (cpu.user + cpu.system) / 1000 };
      timing = CALLERS;
      tracing = CALLERS;
    }
    if (event.batch === WARMUP + STEPS) timing = tracing = false;
  },
});
model.dispose();

const sorted = [...stepMs].sort((a, b) => a - b);
const median = sorted[Math.floor(sorted.length / 2)];
const result = {
  node: process.version,
  kernelBuild: kernelBuild(),
  threads: THREADS,
  batch: BATCH,
  steps: STEPS,
  medianStepMs: median,
  minStepMs: sorted[0],
  meanStepMs: figures.wallMs / STEPS,
  cpuMsPerStep: figures.cpuMs / STEPS,
  samplesPerSecond: (STEPS * BATCH) / (figures.wallMs / 1000),
  kernels: Object.fromEntries(
    [...perKernel].map(([name, t]) => [name, { msPerStep: t.ms / STEPS, callsPerStep: t.calls / STEPS }]),
  ),
  callers: Object.fromEntries(perCaller),
  fastestCalls: Object.fromEntries(
    Object.entries(
      fastest.reduce((acc, call) => {
        if (call !== undefined) acc[call.name] = (acc[call.name] ?? 0) + call.ms;
        return acc;
      }, {}),
    ),
  ),
};
console.log(
  `Node ${result.node}, kernel build ${result.kernelBuild}, ${THREADS} thread(s), batch ${BATCH}: ` +
    `median step ${median.toFixed(1)} ms (fastest ${sorted[0].toFixed(1)}), mean ${result.meanStepMs.toFixed(1)} ms wall, ` +
    `${result.cpuMsPerStep.toFixed(1)} ms CPU, ${result.samplesPerSecond.toFixed(0)} samples/s (${STEPS} steps)`,
);
if (KERNELS) {
  const rows = [...perKernel].sort((a, b) => b[1].ms - a[1].ms);
  const total = rows.reduce((s, [, t]) => s + t.ms, 0) / STEPS;
  const best = result.fastestCalls;
  const bestTotal = Object.values(best).reduce((a, b) => a + b, 0);
  console.log(
    `  main thread's kernels: ${total.toFixed(1)} ms a step (each call at its fastest over the steps: ${bestTotal.toFixed(1)} ms)`,
  );
  for (const [name, t] of rows) {
    console.log(
      `    ${name.padEnd(24)} ${(t.ms / STEPS).toFixed(2).padStart(7)} ms ${(t.calls / STEPS).toFixed(0).padStart(4)} calls, fastest ${(best[name] ?? 0).toFixed(2).padStart(7)} ms`,
    );
  }
}
if (CALLERS) {
  console.log('  one step by caller | kernel:');
  for (const [key, t] of [...perCaller].sort((a, b) => b[1].ms - a[1].ms)) {
    console.log(
      `    ${key.padEnd(56)} ${t.ms.toFixed(2).padStart(7)} ms ${String(t.calls).padStart(4)} calls`,
    );
  }
}
if (process.env.JSON) writeFileSync(process.env.JSON, `${JSON.stringify(result, null, 2)}\n`);
