// Speed of the default model on the tfjs CPU backend: inference throughput and save/load time.
// Run after a build: `pnpm --filter @mnist/model bench`. Figures are noisy on a shared machine.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { createModel, predictDigits, summarizeModel } from '../dist/index.js';
import { loadModel, saveModel } from '../dist/node.js';

await tf.setBackend('cpu');
const model = createModel(undefined, { seed: 1 });
const { parameters, flopsPerImage } = summarizeModel(model);
console.log(`default model: ${parameters} parameters, ${(flopsPerImage / 1e6).toFixed(2)} M MACs per image`);

const batch = 64;
const images = tf.randomUniform([batch, 28, 28, 1], 0, 1, 'float32', 1);
await predictDigits(model, images); // warm-up
const rounds = 5;
let start = performance.now();
for (let i = 0; i < rounds; i++) await predictDigits(model, images);
const seconds = (performance.now() - start) / 1000;
console.log(
  `predictDigits on cpu: ${((rounds * batch) / seconds).toFixed(0)} images/s ` +
    `(${((rounds * batch * flopsPerImage) / seconds / 1e9).toFixed(2)} GMAC/s), batch ${batch}`,
);

const dir = await mkdtemp(join(tmpdir(), 'mnist-model-bench-'));
start = performance.now();
await saveModel(model, dir);
const saveMs = performance.now() - start;
start = performance.now();
const loaded = await loadModel(dir);
const loadMs = performance.now() - start;
console.log(`saveModel ${saveMs.toFixed(0)} ms, loadModel ${loadMs.toFixed(0)} ms`);
await rm(dir, { recursive: true, force: true });
tf.dispose([images]);
model.dispose();
loaded.dispose();
