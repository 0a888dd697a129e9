import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import {
  getKernel,
  type NamedAttrMap,
  type NamedTensorInfoMap,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { WasmKernelError } from './wasm-kernel-error.js';

/**
 * Runs one stock kernel of the WASM backend the way tfjs kernels call each other: directly, with
 * `{ inputs, backend, attrs }`, bypassing the engine. The result is a bare `TensorInfo` owned by the
 * caller, who must either return it as the kernel's output or free it with `disposeData`; going
 * through `tf.*` ops instead would make engine-tracked tensors that hold extra references.
 */
export function runWasmKernel(
  kernelName: string,
  backend: BackendWasm,
  inputs: NamedTensorInfoMap,
  attrs: NamedAttrMap = {},
): TensorInfo {
  const config = getKernel(kernelName, 'wasm');
  if (config === undefined) {
    throw new WasmKernelError(
      `@mnist/wasm-kernels: the tfjs WASM backend has no '${kernelName}' kernel registered; import '@tensorflow/tfjs-backend-wasm' before training`,
    );
  }
  return config.kernelFunc({ inputs, backend, attrs }) as TensorInfo;
}

/**
 * Runs the stock stride-1 NHWC `Conv2D` with explicit spatial padding `[top, bottom, left, right]`
 * and the given dilations: the one fast call both convolution gradients are built on.
 */
export function runStrideOneConv2D(
  backend: BackendWasm,
  x: TensorInfo,
  filter: TensorInfo,
  [top, bottom, left, right]: readonly [number, number, number, number],
  dilations: readonly [number, number],
): TensorInfo {
  return runWasmKernel(
    'Conv2D',
    backend,
    { x, filter },
    {
      strides: [1, 1],
      pad: [
        [0, 0],
        [top, bottom],
        [left, right],
        [0, 0],
      ],
      dataFormat: 'NHWC',
      dilations: [...dilations],
    },
  );
}

/** Frees an intermediate made inside a kernel (one reference, the one `makeOutput` gave it). */
export function disposeIntermediate(backend: BackendWasm, info: TensorInfo): void {
  backend.disposeData(info.dataId);
}

/**
 * A `Float32Array` view on a tensor's bytes in the WASM heap. Views go stale when the heap grows, so
 * take them only after the last allocation of a kernel step.
 */
export function heapFloat32(backend: BackendWasm, info: TensorInfo): Float32Array {
  if (info.dtype !== 'float32') {
    throw new WasmKernelError(
      `@mnist/wasm-kernels: expected a float32 tensor of shape [${info.shape.join(', ')}], got dtype '${info.dtype}'`,
    );
  }
  return backend.typedArrayFromHeap(info) as Float32Array;
}

/**
 * A `TensorInfo` that reads the same heap bytes under another shape (a free reshape). It holds no
 * reference of its own: it must not outlive `info` nor be returned or disposed.
 */
export function viewAs(info: TensorInfo, shape: number[]): TensorInfo {
  return { dataId: info.dataId, shape, dtype: info.dtype };
}
