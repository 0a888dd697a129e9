// Internals the package's own benchmarks reach (bench/*.mjs import dist/bench-internals.js by
// path); not part of the package's API and not in its exports map.
export { allocScratch, gemm, gemmScratchFloats, heapOffset } from './gemm.js';
export { simdKernels } from './simd-kernels.js';
