import { type Tensor, tensor } from '@tensorflow/tfjs-core';
import type { TensorSnapshot } from './training-state.js';

/**
 * Copies the values of named tensors out of tfjs (awaiting them, so GPU-like backends need not
 * block). The tensors are left as they are; the caller still owns them. Internal.
 */
export async function snapshotTensors(named: { name: string; tensor: Tensor }[]): Promise<TensorSnapshot[]> {
  return Promise.all(
    named.map(async ({ name, tensor: t }): Promise<TensorSnapshot> => {
      if (t.dtype !== 'float32' && t.dtype !== 'int32') {
        throw new TypeError(`cannot snapshot ${name}: dtype ${t.dtype}, expected float32 or int32`);
      }
      const data = await t.data();
      // A copy: some backends hand out views of their own memory.
      const values = t.dtype === 'int32' ? Int32Array.from(data) : Float32Array.from(data);
      return { name, shape: [...t.shape], dtype: t.dtype, values };
    }),
  );
}

/** A new tensor holding a snapshot's values; the caller disposes it. Internal. */
export function tensorFromSnapshot(snapshot: TensorSnapshot): Tensor {
  return tensor(snapshot.values, snapshot.shape, snapshot.dtype);
}
