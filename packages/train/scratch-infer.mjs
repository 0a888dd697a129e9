import { createModel, DEFAULT_MODEL_CONFIG } from '@mnist/model';
import { selectBackend } from '@mnist/runtime';
import * as tf from '@tensorflow/tfjs-core';
await selectBackend('wasm');
const model = createModel(DEFAULT_MODEL_CONFIG, { seed: 1 });
const xs = tf.randomUniform([1000, 28, 28, 1]);
const totals = new Map();
const names = ['FusedConv2D', 'MaxPool', '_FusedMatMul', 'Softmax', 'Reshape', 'BatchMatMul', 'Relu', 'Add'];
for (const name of names) {
  const k = tf.getKernel(name, 'wasm'); if (!k) continue;
  const f = k.kernelFunc;
  tf.unregisterKernel(name, 'wasm');
  tf.registerKernel({ ...k, kernelFunc: (args) => { const t0 = performance.now(); const out = f(args); totals.set(name, (totals.get(name) ?? 0) + performance.now() - t0); return out; } });
}
for (let i = 0; i < 3; i++) tf.tidy(() => model.predict(xs, { batchSize: 1000 }).dataSync());
totals.clear();
let wall = 0;
for (let i = 0; i < 10; i++) { const t0 = performance.now(); tf.tidy(() => model.predict(xs, { batchSize: 1000 }).dataSync()); wall += performance.now() - t0; }
console.log('wall per batch', (wall / 10).toFixed(1), 'ms');
for (const [k, v] of totals) console.log(k.padEnd(14), (v / 10).toFixed(2), 'ms');
