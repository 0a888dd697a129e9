import { backend as activeBackend, type Tensor } from '@tensorflow/tfjs-core';

interface HeapBackend {
  typedArrayFromHeap(info: Pick<Tensor, 'shape' | 'dtype' | 'dataId'>): Float32Array;
}

/**
 * Copies a float32 tensor's values into `target` (same length). On the WASM backend it reads the
 * heap in place: `dataSync` would first copy them into a fresh array, and at two model-sized copies
 * per training step that garbage kept V8's collector threads busy on the cores the training needs.
 * Internal.
 */
export function copyTensorValues(tensor: Tensor, target: Float32Array): void {
  const backend = activeBackend() as unknown as Partial<HeapBackend>;
  if (typeof backend.typedArrayFromHeap === 'function') {
    target.set(backend.typedArrayFromHeap(tensor));
  } else {
    target.set(tensor.dataSync() as Float32Array);
  }
}
