// Training throughput of the default-like MNIST CNN on the tfjs WASM backend, with and without this
// package's kernels, plus a per-kernel time profile of one training step.
// Run after `pnpm build`: `pnpm --filter @mnist/wasm-kernels bench` (STEPS=20 BATCH=64 PADDING=same).
import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {
  conv2DBackpropFilterConfig,
  registerWasmTrainingKernels,
  wasmTrainingKernelConfigs,
} from '../dist/index.js';

const STEPS = Number(process.env.STEPS ?? 20);
const WARMUP = Number(process.env.WARMUP ?? 3);
const BATCH = Number(process.env.BATCH ?? 64);
const PADDING = process.env.PADDING ?? 'same';
const DETAIL = (process.env.DETAIL ?? '').split(',');
const VARIANTS = (process.env.VARIANTS ?? 'stock,ours').split(',');

function buildModel() {
  const model = tfl.sequential({
    layers: [
      tfl.layers.conv2d({
        inputShape: [28, 28, 1],
        filters: 32,
        kernelSize: 3,
        padding: PADDING,
        activation: 'relu',
      }),
      tfl.layers.conv2d({ filters: 64, kernelSize: 3, padding: PADDING, activation: 'relu' }),
      tfl.layers.maxPooling2d({ poolSize: 2 }),
      tfl.layers.conv2d({ filters: 64, kernelSize: 3, padding: PADDING, activation: 'relu' }),
      tfl.layers.maxPooling2d({ poolSize: 2 }),
      tfl.layers.dropout({ rate: 0.25 }),
      tfl.layers.flatten(),
      tfl.layers.dense({ units: 128, activation: 'relu' }),
      tfl.layers.dropout({ rate: 0.25 }),
      tfl.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' });
  return model;
}

/** Stock wasm kernels plus only the missing Conv2DBackpropFilter (the minimum that can train). */
function useStock(stock) {
  for (const config of wasmTrainingKernelConfigs) {
    if (tf.getKernel(config.kernelName, 'wasm')) tf.unregisterKernel(config.kernelName, 'wasm');
  }
  tf.registerKernel(conv2DBackpropFilterConfig);
  for (const config of stock) tf.registerKernel(config);
}

async function measure(label) {
  const model = buildModel();
  const xs = tf.randomUniform([BATCH, 28, 28, 1], 0, 1, 'float32', 1);
  const ys = tf.oneHot(tf.randomUniform([BATCH], 0, 10, 'int32', 2), 10);
  for (let i = 0; i < WARMUP; i++) await model.trainOnBatch(xs, ys);
  const start = performance.now();
  for (let i = 0; i < STEPS; i++) await model.trainOnBatch(xs, ys);
  const seconds = (performance.now() - start) / 1000;
  const samplesPerSecond = (STEPS * BATCH) / seconds;

  const profile = await tf.profile(async () => {
    await model.trainOnBatch(xs, ys);
  });
  const byKernel = new Map();
  const detail = [];
  for (const k of profile.kernels) {
    if (DETAIL.includes(k.name)) detail.push(`    ${k.name} ${JSON.stringify(k.inputShapes)}: ${(await k.kernelTimeMs).toFixed(1)} ms`);
    const t = byKernel.get(k.name) ?? { ms: 0, calls: 0 };
    t.ms += await k.kernelTimeMs;
    t.calls += 1;
    byKernel.set(k.name, t);
  }
  const total = [...byKernel.values()].reduce((s, t) => s + t.ms, 0);
  console.log(
    `\n${label}: ${samplesPerSecond.toFixed(0)} samples/s (${STEPS} steps of ${BATCH}, ${((seconds / STEPS) * 1000).toFixed(1)} ms/step)`,
  );
  console.log(`  profile of one step (${total.toFixed(1)} ms in kernels):`);
  for (const [name, t] of [...byKernel].sort((a, b) => b[1].ms - a[1].ms).slice(0, 12)) {
    console.log(
      `    ${name.padEnd(24)} ${t.ms.toFixed(1).padStart(7)} ms  ${String(t.calls).padStart(3)} calls`,
    );
  }
  if (detail.length > 0) console.log(detail.join('\n'));
  model.dispose();
  tf.dispose([xs, ys]);
  return samplesPerSecond;
}

await tf.setBackend('wasm');
await tf.ready();
const stock = wasmTrainingKernelConfigs
  .map((c) => tf.getKernel(c.kernelName, 'wasm'))
  .filter((c) => c !== undefined);
console.log(`tfjs ${tf.version_core}, backend ${tf.getBackend()}, padding '${PADDING}', batch ${BATCH}`);
console.log(
  `WASM SIMD: ${await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')}, threads: ${await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')}`,
);
for (const variant of VARIANTS) {
  if (variant === 'stock') {
    useStock(stock);
    await measure('stock wasm + our Conv2DBackpropFilter');
  } else {
    registerWasmTrainingKernels();
    await measure('@mnist/wasm-kernels (all kernels)');
  }
}
