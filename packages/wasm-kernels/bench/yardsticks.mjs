// The two yardsticks the kernel benchmarks measure against, one place for both of them
// (kernels.bench.mjs times them beside each kernel; parallel-ceiling.mjs on several threads).
import { allocScratch, simdKernels } from '../dist/bench-internals.js';

/**
 * The GEMM micro-kernel on a 120x64 tile block times k = 256 with packed operands in L1/L2 (the
 * kernels' best case), and a plain copy of 8 MB to 8 MB (beyond L2, as the activations of a
 * batch; bytes read + written), each as a call and the work of one call (FLOPs, bytes), on
 * scratch taken from `backend`'s heap. The GEMM's operands are filled with values in [0.5, 1):
 * the heap holds whatever an earlier kernel left there, and subnormal or NaN operands can make a
 * multiply-add many times slower (the simd128 peak read 5.5 GFLOP/s on leftovers, 33 on numbers).
 */
export function createYardsticks(backend) {
  const kernels = simdKernels(backend);
  const m = 120;
  const n = 64;
  const k = 256;
  const g = allocScratch(backend, m * k + k * n + m * n + 64);
  const pa = g.offset;
  const pb = pa + m * k * 4;
  const c = pb + k * n * 4;
  const tmp = c + m * n * 4;
  const operands = new Float32Array(backend.wasm.HEAPF32.buffer, pa, m * k + k * n);
  for (let i = 0; i < operands.length; i++) operands[i] = 0.5 + ((i * 7919) % 1024) / 2048;
  const floats = 2 << 20;
  const copy = allocScratch(backend, 2 * floats);
  return {
    gemm: { call: () => kernels.gemm_packed(m, n, k, pa, pb, c, n, 0, tmp), work: 2 * m * n * k },
    copy: { call: () => kernels.copy_f32(copy.offset, copy.offset + floats * 4, floats), work: 8 * floats },
    dispose() {
      backend.disposeData(g.info.dataId);
      backend.disposeData(copy.info.dataId);
    },
  };
}
