import '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import {
  allocScratch,
  simdKernels,
  gemm,
  gemmScratchFloats,
} from '/work/wt/kernels-2/packages/wasm-kernels/dist/bench-internals.js';
const km = await import(process.env.KERNELS ?? '/work/wt/kernels-2/packages/wasm-kernels/dist/index.js');
await tf.setBackend('wasm');
await tf.ready();
km.registerWasmTrainingKernels();
const backend = tf.backend();
const k = simdKernels(backend);
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
function time(f, n = 2000) {
  for (let i = 0; i < 50; i++) f();
  let best = 1e9;
  for (let r = 0; r < 7; r++) {
    const t0 = cpu();
    for (let i = 0; i < n; i++) f();
    best = Math.min(best, (cpu() - t0) / n);
  }
  return best * 1000;
}
const info = (t) => ({ dataId: t.dataId, shape: t.shape, dtype: t.dtype });
const cfg = tf.getKernel('BatchMatMul', 'wasm');
for (const [name, as, bs, tA, tB] of [
  ['fwd', [1, 64, 128], [1, 128, 10], false, false],
  ['dW', [1, 64, 128], [1, 64, 10], true, false],
  ['dx', [1, 64, 10], [1, 128, 10], false, true],
]) {
  const a = tf.randomUniform(as),
    b = tf.randomUniform(bs);
  const t = time(() => {
    const o = cfg.kernelFunc({
      inputs: { a: info(a), b: info(b) },
      backend,
      attrs: { transposeA: tA, transposeB: tB },
    });
    backend.disposeData(o.dataId);
  });
  const tm = time(() => {
    const o = backend.makeOutput([64 * 10], 'float32');
    backend.disposeData(o.dataId);
  });
  const m = tA ? as[2] : as[1],
    kk = tA ? as[1] : as[2],
    n = tB ? bs[1] : bs[2];
  console.log(
    `${name}: kernelFunc ${t.toFixed(2)} us (${((2 * m * n * kk) / t / 1e3).toFixed(1)} GF/s); makeOutput+dispose ${tm.toFixed(2)} us`,
  );
}
