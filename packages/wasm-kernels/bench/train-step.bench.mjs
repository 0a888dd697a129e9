// Training throughput of the default-like MNIST CNN on the tfjs WASM backend, with and without this
// package's kernels, plus a per-kernel time profile of one training step.
// Run after `pnpm build`: `pnpm --filter @mnist/wasm-kernels bench`. Environment knobs: STEPS=20,
// STOCK_STEPS=4, WARMUP=3, BATCH=64, PADDING=same|valid, POOL_AFTER=0,1, VARIANTS=stock,ours,ours-without-<Kernel>, DETAIL=<kernel names>,
// KERNELS=<dist/index.js of another version>.
import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
// KERNELS=<path of another build's dist/index.js> measures that version instead (compare two).
const { conv2DBackpropFilterConfig, registerWasmTrainingKernels, wasmTrainingKernelConfigs } = await import(
  process.env.KERNELS ?? '../dist/index.js'
);

const STEPS = Number(process.env.STEPS ?? 20);
// The stock kernels are ~10x slower: fewer steps keep the run short.
const STOCK_STEPS = Number(process.env.STOCK_STEPS ?? 4);
const WARMUP = Number(process.env.WARMUP ?? 3);
const BATCH = Number(process.env.BATCH ?? 64);
const PADDING = process.env.PADDING ?? 'same';
// Zero-based conv layers followed by a 2x2 max-pool: '0,1' is @mnist/model's default
// (conv32-pool-conv64-pool-conv64, 'same' padding); '1,2' is the heavier conv32-conv64-pool-conv64-pool.
const POOL_AFTER = (process.env.POOL_AFTER ?? '0,1').split(',').map(Number);
const DETAIL = (process.env.DETAIL ?? '').split(',');
const VARIANTS = (process.env.VARIANTS ?? 'stock,ours').split(',');

function buildModel() {
  const filters = [32, 64, 64];
  const layers = [];
  filters.forEach((f, i) => {
    const options = { filters: f, kernelSize: 3, padding: PADDING, activation: 'relu' };
    layers.push(tfl.layers.conv2d(i === 0 ? { ...options, inputShape: [28, 28, 1] } : options));
    if (POOL_AFTER.includes(i)) layers.push(tfl.layers.maxPooling2d({ poolSize: 2 }));
  });
  layers.push(
    tfl.layers.dropout({ rate: 0.25 }),
    tfl.layers.flatten(),
    tfl.layers.dense({ units: 128, activation: 'relu' }),
    tfl.layers.dropout({ rate: 0.25 }),
    tfl.layers.dense({ units: 10, activation: 'softmax' }),
  );
  const model = tfl.sequential({ layers });
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' });
  return model;
}

/** Multiply-accumulates of the conv layers' forward pass for one image (training costs ~3x). */
function convMacsPerImage(model) {
  let macs = 0;
  for (const layer of model.layers) {
    if (layer.getClassName() !== 'Conv2D') continue;
    const [, h, w, c] = layer.outputShape;
    const [kh, kw, cin] = layer.getWeights()[0].shape;
    macs += h * w * c * kh * kw * cin;
  }
  return macs;
}

/** Stock wasm kernels plus only the missing Conv2DBackpropFilter (the minimum that can train). */
function useStock(stock) {
  for (const config of wasmTrainingKernelConfigs) {
    if (tf.getKernel(config.kernelName, 'wasm')) tf.unregisterKernel(config.kernelName, 'wasm');
  }
  tf.registerKernel(conv2DBackpropFilterConfig);
  for (const config of stock) tf.registerKernel(config);
}

async function measure(label, steps) {
  const model = buildModel();
  const xs = tf.randomUniform([BATCH, 28, 28, 1], 0, 1, 'float32', 1);
  const ys = tf.oneHot(tf.randomUniform([BATCH], 0, 10, 'int32', 2), 10);
  for (let i = 0; i < WARMUP; i++) await model.trainOnBatch(xs, ys);
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  for (let i = 0; i < steps; i++) await model.trainOnBatch(xs, ys);
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const samplesPerSecond = (steps * BATCH) / seconds;

  const profile = await tf.profile(async () => {
    await model.trainOnBatch(xs, ys);
  });
  const byKernel = new Map();
  const detail = [];
  for (const k of profile.kernels) {
    if (DETAIL.includes(k.name))
      detail.push(`    ${k.name} ${JSON.stringify(k.inputShapes)}: ${(await k.kernelTimeMs).toFixed(1)} ms`);
    const t = byKernel.get(k.name) ?? { ms: 0, calls: 0 };
    t.ms += await k.kernelTimeMs;
    t.calls += 1;
    byKernel.set(k.name, t);
  }
  const total = [...byKernel.values()].reduce((s, t) => s + t.ms, 0);
  // The backend runs on one thread, so on an idle machine wall time ~= CPU time; samples per
  // CPU-second is the figure that stays comparable when other processes share the cores.
  console.log(
    `\n${label}: ${samplesPerSecond.toFixed(0)} samples/s wall, ${((steps * BATCH) / cpuSeconds).toFixed(0)} samples/CPU-s` +
      ` (${steps} steps of ${BATCH}; per step ${((seconds / steps) * 1000).toFixed(0)} ms wall, ${((cpuSeconds / steps) * 1000).toFixed(0)} ms CPU)`,
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
{
  const probe = buildModel();
  console.log(
    `tfjs ${tf.version_core}, backend ${tf.getBackend()}, padding '${PADDING}', pool after conv [${POOL_AFTER}], batch ${BATCH},` +
      ` ${(convMacsPerImage(probe) / 1e6).toFixed(1)}M conv MACs/image forward`,
  );
  probe.dispose();
}
const { kernelBuild } = await import('../dist/index.js');
console.log(
  `Node ${process.version}, kernel build ${kernelBuild()}, WASM SIMD: ${await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')}, threads: ${await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')}`,
);
for (const variant of VARIANTS) {
  if (variant === 'stock') {
    useStock(stock);
    await measure('stock wasm + our Conv2DBackpropFilter', STOCK_STEPS);
  } else if (variant === 'ours') {
    registerWasmTrainingKernels();
    await measure('@mnist/wasm-kernels (all kernels)', STEPS);
  } else {
    // 'ours-without-<Kernel>': all our kernels except one, which goes back to the stock version.
    const name = variant.replace('ours-without-', '');
    registerWasmTrainingKernels();
    tf.unregisterKernel(name, 'wasm');
    const original = stock.find((c) => c.kernelName === name);
    if (original) tf.registerKernel(original);
    await measure(`@mnist/wasm-kernels with the stock ${name}`, STEPS);
  }
}
