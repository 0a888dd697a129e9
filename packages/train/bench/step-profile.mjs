// Where a training step's time goes, kernel by kernel, in the loop users run: `train()` of this
// package on one thread, the default model, the wasm backend with @mnist/wasm-kernels, random images
// of MNIST shape, the work per step of `pnpm bench`'s training (plain Adam, no augmentation). Every
// wasm kernel is re-registered wrapped in a clock, so each call is timed where it runs, with the
// caches as the step before left them. The kernel benchmark (packages/wasm-kernels, bench/
// kernels.bench.mjs) times each kernel over and over on the same inputs, in warm caches; the two
// differ most for the memory-bound kernels, whose data a training step brings in from DRAM.
// Run after `pnpm turbo run build --filter=@mnist/train...`: `pnpm --filter @mnist/train bench`.
// Environment: BATCH=64, STEPS=60 (profiled, after WARMUP=10), OUT=<file> (the JSON of the table;
// default bench-results/step-profile.json at the repo root).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createModel, DEFAULT_MODEL_CONFIG } from '@mnist/model';
import { selectBackend } from '@mnist/runtime';
import * as tf from '@tensorflow/tfjs-core';
import { train } from '../dist/index.js';
import { benchTrainingConfig, randomTrainingData } from './bench-run.mjs';

const BATCH = Number(process.env.BATCH ?? 64);
const STEPS = Number(process.env.STEPS ?? 60);
const WARMUP = Number(process.env.WARMUP ?? 10);

await selectBackend('wasm');
const { kernelBuild } = await import('@mnist/wasm-kernels');

// Each kernel's calls in the current step; the per-step totals of the profiled steps.
const inStep = new Map();
const perStep = new Map();
let profiling = false;
for (const config of tf.getKernelsForBackend('wasm')) {
  const { kernelName, kernelFunc } = config;
  tf.unregisterKernel(kernelName, 'wasm');
  tf.registerKernel({
    ...config,
    kernelFunc: (args) => {
      if (!profiling) return kernelFunc(args);
      const start = performance.now();
      const out = kernelFunc(args);
      const entry = inStep.get(kernelName) ?? { ms: 0, calls: 0 };
      entry.ms += performance.now() - start;
      entry.calls++;
      inStep.set(kernelName, entry);
      return out;
    },
  });
}

const data = randomTrainingData((WARMUP + STEPS) * BATCH);
const model = createModel(DEFAULT_MODEL_CONFIG, { seed: 1 });

const stepMs = [];
let stepStart = 0;
await train({
  model,
  data,
  config: benchTrainingConfig(BATCH, 1),
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
    profiling = event.batch >= WARMUP - 1;
    stepStart = performance.now();
  },
});
model.dispose();

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};
const step = median(stepMs);
const rows = [...perStep.entries()]
  .map(([kernel, entries]) => ({
    kernel,
    msPerStep: median(entries.map((e) => e.ms)),
    callsPerStep: median(entries.map((e) => e.calls)),
  }))
  .sort((a, b) => b.msPerStep - a.msPerStep);
const inKernels = rows.reduce((sum, row) => sum + row.msPerStep, 0);

console.log(
  `\ntraining step profile: train() on 1 thread, batch ${BATCH}, ${stepMs.length} steps after ${WARMUP}; Node ${process.version}, kernel build ${kernelBuild()}`,
);
console.log(
  `  median step ${step.toFixed(2)} ms; in wasm kernels ${inKernels.toFixed(2)} ms (${((inKernels / step) * 100).toFixed(0)}%, sum of each kernel's median), the rest JavaScript: tfjs's engine and gradients, batches, the loop`,
);
console.log(
  `  ${'kernel'.padEnd(24)} ${'ms/step'.padStart(8)} ${'share'.padStart(6)} ${'calls'.padStart(6)}`,
);
for (const row of rows.filter((r) => r.msPerStep >= 0.01)) {
  console.log(
    `  ${row.kernel.padEnd(24)} ${row.msPerStep.toFixed(2).padStart(8)} ${`${((row.msPerStep / step) * 100).toFixed(1)}%`.padStart(6)} ${String(row.callsPerStep).padStart(6)}`,
  );
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
      batch: BATCH,
      steps: stepMs.length,
      warmup: WARMUP,
      medianStepMs: step,
      inKernelsMs: inKernels,
      kernels: rows,
    },
    null,
    2,
  )}\n`,
);
// Repo-relative when under the repo (the default), so logs do not name this machine's paths.
const shown = relative(repoRoot, outPath);
console.log(`\nresults: ${shown.startsWith('..') ? outPath : shown}`);
