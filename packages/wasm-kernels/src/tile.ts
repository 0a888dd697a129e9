import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import {
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
  Tile,
  type TileAttrs,
  type TileInputs,
  util,
} from '@tensorflow/tfjs-core';
import { stockKernelResult } from './stock-kernels.js';

/**
 * Writes `x` tiled `reps` times into `out`, one axis at a time from the outermost: the block of axis
 * `a` is written once (recursively, its inner axes tiled already) and then repeated with
 * `copyWithin`, a memmove. The innermost rows are copied whole with `set`. Every element is a plain
 * copy, so the result has the input's bits.
 */
function tileInto(
  x: Float32Array | Int32Array,
  shape: readonly number[],
  reps: readonly number[],
  out: Float32Array | Int32Array,
): void {
  const rank = shape.length;
  const xStrides = util.computeStrides([...shape]);
  // Elements of one tiled block below axis a (the product of the output dims after a).
  const outBlock = new Array<number>(rank + 1).fill(1);
  for (let a = rank - 1; a >= 0; a--) {
    outBlock[a] = (outBlock[a + 1] as number) * (shape[a] as number) * (reps[a] as number);
  }
  const write = (axis: number, xOffset: number, outOffset: number): void => {
    const size = shape[axis] as number;
    const inner = outBlock[axis + 1] as number;
    if (axis === rank - 1) {
      out.set(x.subarray(xOffset, xOffset + size), outOffset);
    } else {
      const stride = rank > 1 ? (xStrides[axis] as number) : 1;
      for (let i = 0; i < size; i++) write(axis + 1, xOffset + i * stride, outOffset + i * inner);
    }
    const length = size * inner;
    for (let r = 1; r < (reps[axis] as number); r++) {
      out.copyWithin(outOffset + r * length, outOffset, outOffset + length);
    }
  };
  write(0, 0, 0);
}

function tile(args: { inputs: TileInputs; backend: BackendWasm; attrs: TileAttrs }): TensorInfo {
  const { inputs, backend, attrs } = args;
  const x = inputs.x as TensorInfo;
  const reps = attrs.reps;
  const ours =
    (x.dtype === 'float32' || x.dtype === 'int32') &&
    x.shape.length > 0 &&
    reps.length === x.shape.length &&
    util.sizeFromShape(x.shape) > 0 &&
    reps.every((r) => Number.isInteger(r) && r >= 1);
  if (!ours) {
    return stockKernelResult(Tile, args);
  }
  const out = backend.makeOutput(
    x.shape.map((d, i) => d * (reps[i] as number)),
    x.dtype,
  );
  // Views taken after the output's allocation, the last one of this kernel (the heap may grow).
  const source = backend.typedArrayFromHeap(x) as Float32Array | Int32Array;
  const target = backend.typedArrayFromHeap(out) as Float32Array | Int32Array;
  tileInto(source, x.shape, reps, target);
  return out;
}

/**
 * `Tile` for the WASM backend: float32 and int32 as block copies (`set` and `copyWithin`) on the
 * heap. The stock kernel computes every output index's source element by element, which made the
 * batch-norm gradient (tiling the per-channel statistics to the activation's shape) cost more than
 * the convolutions. Other dtypes go to the stock kernel.
 */
export const tileConfig: KernelConfig = {
  kernelName: Tile,
  backendName: 'wasm',
  kernelFunc: tile as unknown as KernelFunc,
};
