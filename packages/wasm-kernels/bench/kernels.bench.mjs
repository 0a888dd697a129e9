// Per-kernel throughput on the default model's shapes (DEFAULT_MODEL_CONFIG of @mnist/model, so the
// table follows the model), each against a yardstick timed in the same rounds: the peak of our own
// GEMM micro-kernel (in cache) or the bandwidth of a plain vector copy; then what two threads can
// get out of the machine at all (parallel-ceiling.mjs).
// Run after `pnpm build`: `pnpm --filter @mnist/wasm-kernels bench:kernels`. Knobs: BATCH=64,128
// (comma list), BUILDS=auto|fma,simd128, ROUNDS=5 (each figure is the best of ROUNDS timings),
// KERNELS=<path of a dist/index.js to take the kernels from> (compare another version),
// STOCK=1 (also time the stock wasm kernels where there is one), ONLY=conv1,Relu (comma list: only
// the kernels whose label contains one of these), BASELINE=<path of another version's
// dist/index.js> (time its kernels too, rounds interleaved with ours: before/after in one run),
// OUT=<file> (the JSON results; default bench-results/wasm-kernels.json at the repo root),
// MODEL=<JSON of a ModelConfigInput> (another architecture's shapes), CEILING=0 (skip the threads).
//
// Times are CPU time of this process (process.cpuUsage), not wall time: the machine is shared, and
// the backend runs on one thread, so CPU time is what a kernel costs while it runs.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import '@tensorflow/tfjs-backend-wasm';
import { resolveModelConfig } from '@mnist/model';
import * as tf from '@tensorflow/tfjs-core';
import { hasRelaxedSimd, kernelBuild, setKernelBuild } from '../dist/index.js';
import { measureParallelCeiling } from './parallel-ceiling.mjs';
import { createYardsticks } from './yardsticks.mjs';

const BATCHES = (process.env.BATCH ?? '64,128').split(',').map(Number);
const ROUNDS = Number(process.env.ROUNDS ?? 5);
const builds = (process.env.BUILDS ?? (hasRelaxedSimd() ? 'fma,simd128' : 'simd128')).split(',');
const ONLY = process.env.ONLY?.split(',');
const MODEL_INPUT = process.env.MODEL ? JSON.parse(process.env.MODEL) : {};
const kernelsModule = await import(process.env.KERNELS ?? '../dist/index.js');
const baselineModule = process.env.BASELINE ? await import(resolve(process.env.BASELINE)) : undefined;
const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const outPath = process.env.OUT
  ? resolve(process.env.INIT_CWD ?? process.cwd(), process.env.OUT)
  : resolve(repoRoot, 'bench-results', 'wasm-kernels.json');

await tf.setBackend('wasm');
await tf.ready();
const backend = tf.backend();
const stock = new Map(
  kernelsModule.wasmTrainingKernelConfigs
    .map((c) => [c.kernelName, tf.getKernel(c.kernelName, 'wasm')])
    .filter(([, c]) => c !== undefined),
);
kernelsModule.registerWasmTrainingKernels();

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/**
 * Best seconds per call of each function over ROUNDS rounds of >= minMs CPU time each (after a
 * warm-up), the functions' rounds interleaved so that a busy moment of the machine hits them alike.
 */
function timeEach(fs, minMs = 60) {
  for (const f of fs) for (let i = 0; i < 3; i++) f();
  const best = fs.map(() => Number.POSITIVE_INFINITY);
  for (let r = 0; r < ROUNDS; r++) {
    fs.forEach((f, i) => {
      let n = 0;
      const t0 = cpuMs();
      let t = 0;
      do {
        f();
        n++;
        t = cpuMs() - t0;
      } while (t < minMs);
      best[i] = Math.min(best[i], t / n / 1000);
    });
  }
  return best;
}

/**
 * The layer shapes of one training step of a model config (the default model's unless MODEL is
 * given): each conv's input and filter, each pooled map, the flattened size and the dense layer, as
 * createModel of @mnist/model builds them ('same' padding, 2x2 pools, dense, 10-way output).
 */
function modelShapes(batch) {
  const config = resolveModelConfig(MODEL_INPUT);
  const widths = Array.isArray(config.filters)
    ? config.filters
    : Array(config.convLayers).fill(config.filters);
  const k = config.kernelSize;
  const convs = [];
  const pools = [];
  let size = 28;
  let channels = 1;
  widths.forEach((filters, i) => {
    convs.push({ name: `conv${i + 1}`, x: [batch, size, size, channels], w: [k, k, channels, filters] });
    if (config.poolAfter.includes(i)) {
      pools.push({ name: `pool${i + 1}`, conv: `conv${i + 1}`, x: [batch, size, size, filters] });
      size = Math.floor(size / 2);
    }
    channels = filters;
  });
  return { config, convs, pools, flat: size * size * channels, lastMap: [batch, size, size, channels] };
}

/** The kernels of one training step of the model (see modelShapes) at batch `batch`. */
function cases(batch) {
  const { config, convs, pools, flat, lastMap } = modelShapes(batch);
  const list = [];
  for (const [index, { name, x, w }] of convs.entries()) {
    const y = [x[0], x[1], x[2], w[3]];
    const flops = 2 * x[0] * x[1] * x[2] * w[0] * w[1] * w[2] * w[3];
    // What a training step runs for a conv layer (@mnist/train's fused op): conv, bias and ReLU.
    list.push({
      label: `FusedConv2D ${name} (bias, ReLU)`,
      kernel: 'FusedConv2D',
      flops,
      inputs: () => ({
        x: tf.randomUniform(x),
        filter: tf.randomUniform(w, -1, 1),
        bias: tf.randomUniform([w[3]], -1, 1),
      }),
      attrs: { strides: 1, pad: 'same', dataFormat: 'NHWC', dilations: 1, activation: 'relu' },
    });
    list.push({
      label: `Conv2DBackpropFilter ${name}`,
      kernel: 'Conv2DBackpropFilter',
      flops,
      inputs: () => ({ x: tf.randomUniform(x), dy: tf.randomUniform(y) }),
      attrs: { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: w },
    });
    // The first conv's input is the image: no gradient flows into it.
    if (index > 0) {
      list.push({
        label: `Conv2DBackpropInput ${name}`,
        kernel: 'Conv2DBackpropInput',
        flops,
        inputs: () => ({ dy: tf.randomUniform(y), filter: tf.randomUniform(w) }),
        attrs: { strides: 1, pad: 'same', dataFormat: 'NHWC', inputShape: x },
      });
    }
  }
  const units = config.denseUnits;
  const hidden = units > 0 ? units : flat;
  const dense = [
    ...(units > 0
      ? [
          { name: `dense fwd x·W`, a: [batch, flat], b: [flat, units], tA: false, tB: false },
          { name: `dense dW x^T·dy`, a: [batch, flat], b: [batch, units], tA: true, tB: false },
          { name: `dense dx dy·W^T`, a: [batch, units], b: [flat, units], tA: false, tB: true },
        ]
      : []),
    { name: 'output fwd', a: [batch, hidden], b: [hidden, 10], tA: false, tB: false },
    { name: 'output dW', a: [batch, hidden], b: [batch, 10], tA: true, tB: false },
    { name: 'output dx', a: [batch, 10], b: [hidden, 10], tA: false, tB: true },
  ];
  // The dense layer at inference: tfjs-layers asks for one fused kernel (training computes it
  // unfused, in the BatchMatMul rows above).
  if (units > 0) {
    list.push({
      label: '_FusedMatMul dense (bias, ReLU)',
      kernel: '_FusedMatMul',
      flops: 2 * batch * flat * units,
      inputs: () => ({
        a: tf.randomUniform([1, batch, flat]),
        b: tf.randomUniform([1, flat, units], -1, 1),
        bias: tf.randomUniform([units], -1, 1),
      }),
      attrs: { transposeA: false, transposeB: false, activation: 'relu' },
    });
  }
  for (const d of dense) {
    const m = d.tA ? d.a[1] : d.a[0];
    const k = d.tA ? d.a[0] : d.a[1];
    const n = d.tB ? d.b[0] : d.b[1];
    list.push({
      label: `BatchMatMul ${d.name}`,
      kernel: 'BatchMatMul',
      flops: 2 * m * n * k,
      inputs: () => ({ a: tf.randomUniform([1, ...d.a]), b: tf.randomUniform([1, ...d.b]) }),
      attrs: { transposeA: d.tA, transposeB: d.tB },
    });
  }
  for (const { name, conv, x: shape } of pools) {
    const size = shape.reduce((a, b) => a * b, 1);
    const [n, h, w, c] = shape;
    const pooled = [n, Math.floor(h / 2), Math.floor(w / 2), c];
    const pooledSize = pooled.reduce((a, b) => a * b, 1);
    list.push({
      label: `MaxPool ${name}`,
      kernel: 'MaxPool',
      bytes: 4 * (size + pooledSize),
      inputs: () => ({ x: tf.randomUniform(shape) }),
      attrs: { filterSize: 2, strides: 2, pad: 'valid' },
    });
    // The pool's gradient and its conv's ReLU gradient, in one pass: what a training step runs.
    list.push({
      label: `MaxPoolReluGrad ${name}`,
      kernel: 'MaxPoolReluGrad',
      // x and dx moved once each, dy once.
      bytes: 4 * (2 * size + pooledSize),
      // A ReLU's output: half of it 0.
      inputs: () => ({ dy: tf.randomUniform(pooled), input: tf.relu(tf.randomUniform(shape, -1, 1)) }),
      attrs: { filterSize: 2, strides: 2, pad: 'valid' },
    });
    list.push({
      label: `Sum bias grad ${conv}`,
      kernel: 'Sum',
      bytes: 4 * size,
      inputs: () => ({ x: tf.randomUniform(shape) }),
      attrs: { axis: [0, 1, 2], keepDims: false },
    });
  }
  // The conv layers' bias add, ReLU and ReLU gradient run inside the kernels above; the dense
  // layer's are too small (batch x units) for a bandwidth figure.
  const lastSize = lastMap.reduce((a, b) => a * b, 1);
  // Adam and the threads' gradient sum on the largest weight: the dense kernel (or the output's).
  const weight = units > 0 ? [flat, units] : [flat, 10];
  const weightSize = weight[0] * weight[1];
  list.push(
    {
      // The dropout after the conv stack: x read, the output and the mask written. Its speed is
      // the generator's (eight Alea chains side by side, float64 pairs), not memory's, plus the
      // seeding and the chains' start states (BigInt jumps) in JavaScript at each call.
      label: `SeededDropout ${convs.at(-1).name}`,
      kernel: 'SeededDropout',
      bytes: 12 * lastSize,
      inputs: () => ({ x: tf.randomUniform(lastMap) }),
      attrs: { rate: 0.25, seed: 2_779_096_485 },
    },
    {
      // value, m, v and gradient read, value, m and v written: 7 arrays of the weight's size.
      label: `AdamUpdate ${units > 0 ? 'dense' : 'output'} kernel`,
      kernel: 'AdamUpdate',
      bytes: 7 * 4 * weightSize,
      inputs: () => ({
        value: tf.randomUniform(weight, -0.1, 0.1),
        m: tf.randomUniform(weight, -1e-3, 1e-3),
        v: tf.randomUniform(weight, 0, 1e-6),
        gradient: tf.randomUniform(weight, -1e-2, 1e-2),
      }),
      // Step 1,000, a step from the middle of a default run: from step 165 on float32 1 - 0.9^t
      // is 1 and the kernel skips m's bias division, as it does in all but a run's first 164 steps.
      attrs: {
        beta1: 0.9,
        beta2: 0.999,
        epsilon: 1e-7,
        learningRate: 1e-3,
        oneMinusAccBeta1: 1,
        oneMinusAccBeta2: 0.6323,
        weightDecay: 0,
      },
    },
    {
      label: `ScaledAdd (thread gradients) ${units > 0 ? 'dense' : 'output'}`,
      kernel: 'ScaledAdd',
      bytes: 12 * weightSize,
      inputs: () => ({ a: tf.randomUniform(weight), b: tf.randomUniform(weight) }),
      attrs: { alpha: 0.5, beta: 0.5 },
    },
    {
      label: `Multiply by scalar (Adam) ${units > 0 ? 'dense' : 'output'}`,
      kernel: 'Multiply',
      bytes: 8 * weightSize,
      inputs: () => ({ a: tf.randomUniform(weight), b: tf.scalar(0.9) }),
      attrs: {},
    },
  );
  return list;
}

/**
 * Seconds per call of each kernel config on the case's inputs and the rate of `yardstick` (GFLOP/s
 * or GB/s), all timed interleaved: the machine is noisy (a quiet virtual machine's GEMM peak read
 * 27-42 GFLOP/s within a minute), so each share sets a kernel against its yardstick measured in the
 * same rounds, not against the best moment of the run.
 */
function run(c, configs, yardstick) {
  const inputs = c.inputs();
  const infos = Object.fromEntries(
    Object.entries(inputs).map(([k, t]) => [k, { dataId: t.dataId, shape: t.shape, dtype: t.dtype }]),
  );
  const calls = configs.map((config) => () => {
    const out = config.kernelFunc({ inputs: infos, backend, attrs: c.attrs });
    // AdamUpdate has three outputs; Identity shares its input's data (one more reference to drop).
    for (const o of [out].flat()) backend.disposeData(o.dataId);
  });
  const seconds = timeEach([...calls, yardstick.call]);
  tf.dispose(Object.values(inputs));
  return { seconds: seconds.slice(0, -1), yardstickRate: yardstick.work / seconds.at(-1) / 1e9 };
}

const baselineConfigs = baselineModule
  ? new Map(baselineModule.wasmTrainingKernelConfigs.map((c) => [c.kernelName, c]))
  : undefined;
const percent = (share) => `${(share * 100).toFixed(0)}%`;

console.log(
  `Node ${process.version}, tfjs ${tf.version_core}, relaxed SIMD ${hasRelaxedSimd() ? 'yes' : 'no'}, GEMM tile ${kernelsModule.gemmTile?.() ?? '6x8'}; kernels from ${process.env.KERNELS ?? 'this package'}${baselineModule ? `, baseline ${process.env.BASELINE}` : ''}; best of ${ROUNDS}, CPU time`,
);
const results = [];
for (const build of builds) {
  setKernelBuild(build);
  baselineModule?.setKernelBuild(build);
  const yardsticks = createYardsticks(backend);
  const rows = [];
  for (const batch of BATCHES) {
    for (const c of cases(batch).filter((k) => ONLY === undefined || ONLY.some((o) => k.label.includes(o)))) {
      const baseline = baselineConfigs?.get(c.kernel);
      const yardstick = c.flops !== undefined ? yardsticks.gemm : yardsticks.copy;
      const {
        seconds: [seconds, baselineSeconds],
        yardstickRate,
      } = run(
        c,
        baseline ? [tf.getKernel(c.kernel, 'wasm'), baseline] : [tf.getKernel(c.kernel, 'wasm')],
        yardstick,
      );
      const stockMs =
        process.env.STOCK && stock.has(c.kernel)
          ? run(c, [stock.get(c.kernel)], yardstick).seconds[0] * 1000
          : undefined;
      rows.push({ batch, c, seconds, baselineSeconds, stockMs, yardstickRate });
    }
  }
  yardsticks.dispose();
  const peaks = rows.filter((r) => r.c.flops !== undefined).map((r) => r.yardstickRate);
  const copies = rows.filter((r) => r.c.flops === undefined).map((r) => r.yardstickRate);
  // ONLY can leave one kind of kernel out, and with it that yardstick.
  const range = (xs) =>
    xs.length === 0 ? 'not measured' : `${Math.min(...xs).toFixed(1)}-${Math.max(...xs).toFixed(1)}`;
  const peak = Math.max(...peaks);
  const copy = Math.max(...copies);
  console.log(
    `\nbuild ${kernelBuild()}: GEMM peak ${range(peaks)} GFLOP/s, copy ${range(copies)} GB/s (each measured beside every kernel; a share is of the one beside it)`,
  );
  const kernels = [];
  let lastBatch;
  for (const { batch, c, seconds, baselineSeconds, stockMs, yardstickRate } of rows) {
    if (batch !== lastBatch) {
      lastBatch = batch;
      console.log(`\n  batch ${batch}`);
      console.log(
        `  ${'kernel'.padEnd(36)} ${'ms'.padStart(7)} ${'rate'.padStart(12)} ${'yardstick'.padStart(12)} ${'share'.padStart(6)}  target      ${baselineConfigs ? ' baseline ms, share' : ''}${process.env.STOCK ? '  stock ms' : ''}`,
      );
    }
    const compute = c.flops !== undefined;
    const work = compute ? c.flops : c.bytes;
    const yardstick = yardstickRate;
    const rate = work / seconds / 1e9;
    const share = rate / yardstick;
    const target = compute ? 0.75 : 0.5;
    const baselineShare =
      baselineSeconds === undefined ? undefined : work / baselineSeconds / 1e9 / yardstick;
    const baselineColumn =
      baselineSeconds === undefined
        ? ''
        : `${(baselineSeconds * 1000).toFixed(2).padStart(12)}, ${percent(baselineShare).padStart(4)}`;
    const stockColumn = stockMs === undefined ? '' : stockMs.toFixed(2).padStart(10);
    console.log(
      `  ${c.label.padEnd(36)} ${(seconds * 1000).toFixed(2).padStart(7)} ${`${rate.toFixed(1)} ${compute ? 'GF/s' : 'GB/s'}`.padStart(12)} ${`${yardstick.toFixed(1)} ${compute ? 'GF/s' : 'GB/s'}`.padStart(12)} ${percent(share).padStart(6)}  ${(share >= target ? 'met' : 'MISSED').padEnd(6)} (${target * 100}%)${baselineColumn}${stockColumn}`,
    );
    kernels.push({
      batch,
      label: c.label,
      kernel: c.kernel,
      ms: seconds * 1000,
      rate,
      unit: compute ? 'GFLOP/s' : 'GB/s',
      yardstickRate: yardstick,
      share,
      target,
      met: share >= target,
      ...(baselineSeconds === undefined ? {} : { baselineMs: baselineSeconds * 1000, baselineShare }),
      ...(stockMs === undefined ? {} : { stockMs }),
    });
  }
  results.push({
    build: kernelBuild(),
    gemmPeakGflops: peak,
    gemmPeakMeasurements: peaks,
    copyGBps: copy,
    copyMeasurements: copies,
    kernels,
  });
}
setKernelBuild('auto');

const ceiling =
  process.env.CEILING === '0' ? undefined : await measureParallelCeiling({ build: kernelBuild() });
if (ceiling !== undefined) {
  console.log(`\ntwo threads at once, each its own backend (build ${kernelBuild()}, wall time, best of 3):`);
  for (const [kind, c] of Object.entries(ceiling)) {
    console.log(
      `  ${kind === 'gemm' ? 'GEMM micro-kernel' : 'copy 8 MB'}: 1 thread ${c.oneThread.toFixed(1)} ${c.unit}, ${c.threads} together ${c.allThreads.toFixed(1)} ${c.unit}: ${c.ratio.toFixed(2)}x`,
    );
  }
}

mkdirSync(dirname(outPath), { recursive: true });
writeFileSync(
  outPath,
  `${JSON.stringify(
    {
      date: new Date().toISOString(),
      command: `node bench/kernels.bench.mjs (packages/wasm-kernels)`,
      env: Object.fromEntries(
        ['BATCH', 'BUILDS', 'ROUNDS', 'KERNELS', 'STOCK', 'ONLY', 'BASELINE', 'MODEL', 'CEILING']
          .filter((k) => process.env[k] !== undefined)
          .map((k) => [k, process.env[k]]),
      ),
      node: process.version,
      tfjs: tf.version_core,
      relaxedSimd: hasRelaxedSimd(),
      timing: `best of ${ROUNDS} rounds, CPU time of the process`,
      model: resolveModelConfig(MODEL_INPUT),
      builds: results,
      ...(ceiling === undefined ? {} : { parallelCeiling: ceiling }),
    },
    null,
    2,
  )}\n`,
);
// Repo-relative when under the repo (the default), so logs do not name this machine's paths.
const shown = relative(repoRoot, outPath);
console.log(`\nresults: ${shown.startsWith('..') ? outPath : shown}`);
