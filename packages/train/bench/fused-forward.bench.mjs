// What the fused conv layers of `createTrainingForward` save in a training step, measured in one
// process: Adam steps of the default model on the wasm backend with @mnist/wasm-kernels, one with
// the fused forward pass, the next with `model.apply(xs, { training: true })` (tfjs-core's three
// kernels per conv layer and the pool's and ReLU's gradients apart), and so on. Adjacent steps see
// the same machine, so the ratio of each pair holds while the machine's speed drifts, which on a
// shared virtual machine it does by 30% from one minute to the next.
// Every step seeds the dropout layers afresh, as the training loop does.
// Run after `pnpm turbo run build --filter=@mnist/train...`, from the worktree:
//   node packages/train/bench/fused-forward.bench.mjs
// Environment: BATCH=128, WARMUP=10, PAIRS=100, JSON=<file> (writes the figures), BASELINE=<path
// of another build's dist/index.js> (pairs this build's forward pass with that build's
// `createTrainingForward` instead of `model.apply`: what a change to it saves).
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { createModel, DEFAULT_MODEL_CONFIG } from '@mnist/model';
import { selectBackend } from '@mnist/runtime';
import * as tf from '@tensorflow/tfjs-core';
import { createTrainingForward } from '../dist/index.js';

const BATCH = Number(process.env.BATCH ?? 128);
const WARMUP = Number(process.env.WARMUP ?? 10);
const PAIRS = Number(process.env.PAIRS ?? 100);

await selectBackend('wasm');
const { kernelBuild } = await import('../../wasm-kernels/dist/index.js');

// A small LCG: the figures depend on the shapes, not on the pixels.
let state = 42;
const next = () => {
  state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
  return state / 2 ** 32;
};
const xs = tf.tensor4d(Float32Array.from({ length: BATCH * 28 * 28 }, next), [BATCH, 28, 28, 1]);
const ys = tf.oneHot(
  tf.tensor1d(
    Int32Array.from({ length: BATCH }, () => Math.floor(next() * 10)),
    'int32',
  ),
  10,
);

const model = createModel(DEFAULT_MODEL_CONFIG, { seed: 1 });
const variables = model.trainableWeights.map((weight) => weight.read());
const optimizer = tf.train.adam(1e-3);
const fused = createTrainingForward(model);
const baselineLabel = process.env.BASELINE ? 'baseline' : 'model.apply';
const unfused = process.env.BASELINE
  ? (await import(pathToFileURL(resolve(process.env.BASELINE)).href)).createTrainingForward(model)
  : (x) => model.apply(x, { training: true });

// The training loop gives each dropout layer a new seed at every step; so does this.
const dropoutLayers = model.layers.filter((layer) => layer.getClassName() === 'Dropout');
let stepIndex = 0;

function step(forward) {
  stepIndex++;
  dropoutLayers.forEach((layer, index) => {
    layer.seed = stepIndex * dropoutLayers.length + index;
  });
  const start = performance.now();
  tf.tidy(() => {
    const loss = optimizer.minimize(
      () => tf.neg(tf.mean(tf.sum(tf.mul(ys, tf.log(tf.clipByValue(forward(xs), 1e-7, 1 - 1e-7))), -1))),
      true,
      variables,
    );
    loss.dataSync();
  });
  return performance.now() - start;
}

for (let i = 0; i < WARMUP; i++) {
  step(fused);
  step(unfused);
}
const times = { fused: [], unfused: [] };
const ratios = [];
for (let i = 0; i < PAIRS; i++) {
  // Alternate which goes first, so that neither always runs after the other.
  let f;
  let u;
  if (i % 2 === 0) {
    f = step(fused);
    u = step(unfused);
  } else {
    u = step(unfused);
    f = step(fused);
  }
  times.fused.push(f);
  times.unfused.push(u);
  ratios.push(f / u);
}
const sorted = (list) => [...list].sort((x, y) => x - y);
const median = (list) => sorted(list)[Math.floor(list.length / 2)];
const quartiles = (list) => {
  const s = sorted(list);
  return [s[Math.floor(s.length / 4)], s[Math.floor((3 * s.length) / 4)]];
};
const figures = {
  node: process.version,
  kernelBuild: kernelBuild(),
  batch: BATCH,
  pairs: PAIRS,
  baseline: baselineLabel,
  fusedMedianMs: median(times.fused),
  unfusedMedianMs: median(times.unfused),
  fusedFastestMs: Math.min(...times.fused),
  unfusedFastestMs: Math.min(...times.unfused),
  pairRatioMedian: median(ratios),
  pairRatioQuartiles: quartiles(ratios),
  tensorsAtEnd: tf.memory().numTensors,
};
console.log(
  `Node ${figures.node}, kernel build ${figures.kernelBuild}, batch ${BATCH}, ${PAIRS} pairs of steps: ` +
    `fused ${figures.fusedMedianMs.toFixed(1)} ms median (fastest ${figures.fusedFastestMs.toFixed(1)}), ` +
    `${baselineLabel} ${figures.unfusedMedianMs.toFixed(1)} ms (fastest ${figures.unfusedFastestMs.toFixed(1)}); ` +
    `fused / ${baselineLabel}, pair by pair: median ${figures.pairRatioMedian.toFixed(3)}, ` +
    `quartiles ${figures.pairRatioQuartiles.map((r) => r.toFixed(3)).join('-')}`,
);
if (process.env.JSON) writeFileSync(process.env.JSON, `${JSON.stringify(figures, null, 2)}\n`);
