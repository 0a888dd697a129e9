import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import {
  fmaSharedWasm,
  fmaWasm,
  GEMM_TILES,
  simd128SharedWasm,
  simd128Wasm,
} from './generated/kernel-binaries.js';
import { WasmKernelError } from './wasm-kernel-error.js';

/**
 * Which build of this package's SIMD kernels runs: `fma` uses relaxed SIMD's fused multiply-add
 * (`f32x4.relaxed_madd`; Node 22+, Chrome 114+), `simd128` a separate multiply and add (every
 * runtime with SIMD, such as an older browser). The two round differently in the last bits.
 */
export type KernelBuild = 'fma' | 'simd128';

/**
 * The GEMM tile shape the micro-kernels use: `6x8` (6 rows of A by 8 columns of B, 4 k steps a loop
 * iteration, and the first layer's 9 taps written out) or `4x8` (one k step an iteration, and one
 * tap). Both give the same bits; which is faster depends on the engine's compiler (see `gemmTile`).
 */
export type GemmTileName = keyof typeof GEMM_TILES;

/**
 * The kernels of one module instance with the active tile's `gemm_packed`, `gemm_rows`, `conv_rows`,
 * `pack_a` and `conv_c1_3x3` under those names, and its height in `gemmTileRows`; every pointer is a byte offset
 * into tfjs's heap.
 */
export interface SimdKernelExports {
  /** Rows of A per GEMM tile: `pack_a` packs panels of this height, `gemm_*` consume them. */
  gemmTileRows: number;
  gemm_packed(
    m: number,
    n: number,
    k: number,
    pa: number,
    pb: number,
    c: number,
    ldc: number,
    acc: number,
    tmp: number,
  ): void;
  gemm_rows(
    m: number,
    n: number,
    k: number,
    a: number,
    lda: number,
    pb: number,
    c: number,
    ldc: number,
    acc: number,
    tmp: number,
    /** 0, or the heap offset of a bias (n floats) to add before a ReLU as C is stored. */
    biasRelu: number,
  ): void;
  /**
   * `gemm_rows` over the positions of a `conv_tap_table`: `k` channels a tap, taps `t0` to
   * `t0 + taps` (one k block), each row of A read in place in x.
   */
  conv_rows(
    m: number,
    n: number,
    k: number,
    t0: number,
    taps: number,
    table: number,
    pb: number,
    c: number,
    ldc: number,
    acc: number,
    tmp: number,
    biasRelu: number,
  ): void;
  pack_a(m: number, k: number, src: number, rs: number, cs: number, dst: number): void;
  pack_b(k: number, n: number, src: number, rs: number, cs: number, dst: number): void;
  im2col_rows(p0: number, count: number, x: number, dst: number, geometry: number): void;
  conv_tap_table(p0: number, count: number, x: number, zero: number, table: number, geometry: number): void;
  pack_b_im2col(n: number, row0: number, rows: number, x: number, dst: number, geometry: number): void;
  pad_c1(
    x: number,
    n: number,
    h: number,
    w: number,
    pt: number,
    pl: number,
    hp: number,
    wp: number,
    dst: number,
  ): void;
  conv_c1_3x3(
    xp: number,
    hp: number,
    wp: number,
    rows: number,
    oh: number,
    ow: number,
    o: number,
    pw: number,
    y: number,
    /** 0, or the heap offset of a bias (o floats) to add before a ReLU as y is stored. */
    biasRelu: number,
  ): void;
  conv_c1_3x3_filter_grad(
    xp: number,
    hp: number,
    wp: number,
    rows: number,
    oh: number,
    ow: number,
    o: number,
    dy: number,
    dw: number,
    blockRows: number,
  ): void;
  copy_f32(dst: number, src: number, n: number): void;
  col_sum(src: number, rows: number, cols: number, dst: number): void;
  max_pool_2x2(
    x: number,
    n: number,
    h: number,
    w: number,
    c: number,
    oh: number,
    ow: number,
    y: number,
  ): void;
  max_pool_2x2_grad(
    x: number,
    dy: number,
    n: number,
    h: number,
    w: number,
    c: number,
    oh: number,
    ow: number,
    dx: number,
  ): void;
  /** `max_pool_2x2_grad` times the ReLU's step at each position of x (x is a ReLU's output). */
  max_pool_2x2_relu_grad: SimdKernelExports['max_pool_2x2_grad'];
  /** What `relu_grad` gives a zero gradient at the positions of x outside every 2x2 window. */
  relu_grad_outside_pool(
    x: number,
    n: number,
    h: number,
    w: number,
    c: number,
    oh: number,
    ow: number,
    dx: number,
  ): void;
  fill_zero(dst: number, n: number): void;
  add(x: number, z: number, y: number, n: number, zlen: number): void;
  mul(x: number, z: number, y: number, n: number, zlen: number): void;
  relu(x: number, y: number, n: number, alpha: number): void;
  floor(x: number, y: number, n: number, alpha: number): void;
  adam(
    w: number,
    m: number,
    v: number,
    g: number,
    ow: number,
    om: number,
    ov: number,
    n: number,
    beta1: number,
    oneMinusBeta1: number,
    beta2: number,
    oneMinusBeta2: number,
    oneMinusAccBeta1: number,
    oneMinusAccBeta2: number,
    epsilon: number,
    negLr: number,
    keep: number,
    decay: number,
    /** `1 / oneMinusAccBeta1` (its float32 value) in float64. */
    recip1: number,
    /** `1 / oneMinusAccBeta2` (its float32 value) in float64. */
    recip2: number,
  ): void;
  scaled_add(a: number, b: number, y: number, n: number, alpha: number, beta: number): void;
  relu_grad(x: number, dy: number, y: number, n: number): void;
  /**
   * n values of Alea, chain j of DROPOUT_CHAINS over elements [j * chunk, (j + 1) * chunk), the
   * rest one at a time, from the float64 states at `states`: the dropout mask of keep (and its
   * 1 / keep) and x times it.
   */
  dropout(
    x: number,
    y: number,
    mask: number,
    n: number,
    chunk: number,
    states: number,
    keep: number,
    scale: number,
    /** `dropoutThreshold(keep)`: the vector loop's test of a value, as float64. */
    threshold: number,
  ): void;
}

// The smallest module using a relaxed-SIMD instruction: (func (param v128 v128 v128) (result v128)
// (f32x4.relaxed_madd ...)). `WebAssembly.validate` says whether this runtime has relaxed SIMD.
const relaxedProbe = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x01, 0x60, 0x03, 0x7b, 0x7b, 0x7b, 0x01, 0x7b,
  0x03, 0x02, 0x01, 0x00, 0x0a, 0x0d, 0x01, 0x0b, 0x00, 0x20, 0x00, 0x20, 0x01, 0x20, 0x02, 0xfd, 0x85, 0x02,
  0x0b,
]);

let relaxedSupported: boolean | undefined;

/** Whether this JavaScript runtime accepts relaxed SIMD (and so can run the `fma` build). */
export function hasRelaxedSimd(): boolean {
  relaxedSupported ??= WebAssembly.validate(relaxedProbe);
  return relaxedSupported;
}

let forcedBuild: KernelBuild | undefined;

/**
 * Forces one kernel build (`'fma'` or `'simd128'`), or with `'auto'` goes back to the default:
 * `fma` where the runtime has relaxed SIMD, else `simd128`. For tests and benchmarks that compare
 * the builds; takes effect at the next kernel call.
 * @throws WasmKernelError if `'fma'` is forced on a runtime without relaxed SIMD.
 */
export function setKernelBuild(build: KernelBuild | 'auto'): void {
  if (build === 'fma' && !hasRelaxedSimd()) {
    throw new WasmKernelError(
      "@mnist/wasm-kernels: the 'fma' kernel build needs relaxed SIMD, which this runtime lacks (Node 22+ and Chrome 114+ have it)",
    );
  }
  forcedBuild = build === 'auto' ? undefined : build;
}

/** The kernel build that runs (the forced one, else `fma` where relaxed SIMD exists, else `simd128`). */
export function kernelBuild(): KernelBuild {
  return forcedBuild ?? (hasRelaxedSimd() ? 'fma' : 'simd128');
}

const base64Cache = new Map<string, WebAssembly.Module>();

function compile(base64: string): WebAssembly.Module {
  let module = base64Cache.get(base64);
  if (module === undefined) {
    const binary = atob(base64);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    // Synchronous compile: the modules are ~22 KB, far below the browsers' main-thread limit.
    module = new WebAssembly.Module(bytes);
    base64Cache.set(base64, module);
  }
  return module;
}

let forcedTile: GemmTileName | undefined;

/**
 * Forces one GEMM tile shape, or with `'auto'` goes back to the engine's (`gemmTile`). For tests
 * and benchmarks that compare them; takes effect at the next kernel call.
 */
export function setGemmTile(tile: GemmTileName | 'auto'): void {
  forcedTile = tile === 'auto' ? undefined : tile;
}

/**
 * The GEMM tile shape that runs: the forced one, else the engine's for the active build
 * (`kernelBuild`): `4x8` on V8 before 13 (Node 22), and on V8 13 and later `6x8` with `fma` and
 * `4x8` with `simd128`. V8 12.4 regroups the 6x8 tile's four unrolled k steps by accumulator and
 * spills a third of its vectors to the stack; there the 4x8 tile does the convolutions in about
 * 0.7 of the time, while on V8 13.6 (Node 24) it takes 1.1 of the 6x8's with `fma`
 * (BENCHMARKS.md). Without the fused multiply-add each product needs a register of its own, and
 * V8 13.6 runs the `simd128` 6x8 micro-kernel at about 31 GFLOP/s against 56 for its 4x8 on an AMD
 * EPYC (2026-12-04). The first layer's convolution follows the tile: its 9 taps written out with
 * `6x8`, in a loop with `4x8`, which V8 12.4 runs in about 0.8 of the time. In a browser the
 * engine's version is not known, so pages get `6x8`, the tile of current engines.
 */
export function gemmTile(): GemmTileName {
  return forcedTile ?? engineTile(kernelBuild());
}

const engineTiles: Partial<Record<KernelBuild, GemmTileName>> = {};

/** The engine's tile for `build`, read once: every kernel call asks. */
function engineTile(build: KernelBuild): GemmTileName {
  let tile = engineTiles[build];
  if (tile === undefined) {
    const v8 = (globalThis as { process?: { versions?: { v8?: string } } }).process?.versions?.v8;
    const major = v8 === undefined ? Number.NaN : Number.parseInt(v8, 10);
    // An engine of unknown version (a browser page) gets 6x8 whatever the build.
    if (Number.isNaN(major)) tile = '6x8';
    else tile = major < 13 || build === 'simd128' ? '4x8' : '6x8';
    engineTiles[build] = tile;
  }
  return tile;
}

type ModuleExports = Omit<SimdKernelExports, 'gemmTileRows'> & Record<string, unknown>;

const instances = new WeakMap<WebAssembly.Memory, Partial<Record<KernelBuild, ModuleExports>>>();
const tileViews = new WeakMap<ModuleExports, Partial<Record<GemmTileName, SimdKernelExports>>>();

/** The record `cache` keeps for `key`, empty the first time. */
function recordFor<K extends object, V>(cache: WeakMap<K, Partial<V>>, key: K): Partial<V> {
  let record = cache.get(key);
  if (record === undefined) {
    record = {};
    cache.set(key, record);
  }
  return record;
}

/** `exports` with `tile`'s GEMM functions (and first-layer convolution) under the 6x8 names. */
function withTile(exports: ModuleExports, tile: GemmTileName): SimdKernelExports {
  const byTile = recordFor(tileViews, exports);
  const { rows, suffix } = GEMM_TILES[tile];
  byTile[tile] ??= {
    ...exports,
    gemmTileRows: rows,
    gemm_packed: exports[`gemm_packed${suffix}`] as SimdKernelExports['gemm_packed'],
    gemm_rows: exports[`gemm_rows${suffix}`] as SimdKernelExports['gemm_rows'],
    conv_rows: exports[`conv_rows${suffix}`] as SimdKernelExports['conv_rows'],
    pack_a: exports[`pack_a${suffix}`] as SimdKernelExports['pack_a'],
    conv_c1_3x3: exports[`conv_c1_3x3${suffix}`] as SimdKernelExports['conv_c1_3x3'],
  };
  return byTile[tile];
}

/** The memory of tfjs-backend-wasm's module: the heap its tensors live in. */
export function backendMemory(backend: BackendWasm): WebAssembly.Memory {
  const asm = (backend.wasm as unknown as { asm?: { memory?: unknown } }).asm;
  const memory = asm?.memory;
  if (!(memory instanceof WebAssembly.Memory)) {
    throw new WasmKernelError(
      '@mnist/wasm-kernels: the tfjs WASM backend exposes no WebAssembly.Memory (backend.wasm.asm.memory); this package supports @tensorflow/tfjs-backend-wasm 4.x',
    );
  }
  return memory;
}

/**
 * The kernel module of the active build, instantiated on the backend's own memory (once per memory
 * and build), with the GEMM tile `tile` (the active one, `gemmTile`, unless given): its functions
 * read and write tfjs tensors in place.
 */
export function simdKernels(backend: BackendWasm, tile: GemmTileName = gemmTile()): SimdKernelExports {
  const memory = backendMemory(backend);
  const build = kernelBuild();
  const byBuild = recordFor(instances, memory);
  if (byBuild[build] === undefined) {
    const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
    const base64 =
      build === 'fma' ? (shared ? fmaSharedWasm : fmaWasm) : shared ? simd128SharedWasm : simd128Wasm;
    const instance = new WebAssembly.Instance(compile(base64), { env: { memory } });
    byBuild[build] = instance.exports as unknown as ModuleExports;
  }
  return withTile(byBuild[build], tile);
}

/**
 * How the rows of a GEMM split between a tile of `tileRows` rows and the 4x8 tile so that neither
 * ends in a partial tile: `[rows for the tile, rows for 4x8]`. A 6x8 product of 6q + 4 rows (or
 * 6q + 2) ends in a tile that does the work of 6 rows for 4 (or 2); one (or two) 4x8 tiles instead
 * do only the rows there are. Worth it where m is small, as the output channels of a filter
 * gradient (conv2's 32 rows: 0.94x of the time on Node 24). Every split gives the same bits.
 */
export function rowsByTile(m: number, tileRows: number): [number, number] {
  if (tileRows !== 6) return [m, 0];
  const partial = m % 6;
  if (partial === 4) return [m - 4, 4];
  if (partial === 2 && m >= 8) return [m - 8, 8];
  return [m, 0];
}
