import type { ImageSet } from '@mnist/data';
import type { SharedImageSet } from './gradient-thread-protocol.js';

/**
 * `set` with its images and labels on `SharedArrayBuffer`s, named `id`: copied once, or used as it
 * is when both arrays already live in shared memory. Internal.
 */
export function shareImageSet(set: ImageSet, id: number): SharedImageSet {
  const { count, rows, cols } = set;
  return {
    id,
    images: onSharedMemory(set.images, Float32Array),
    labels: onSharedMemory(set.labels, Uint8Array),
    count,
    rows,
    cols,
  };
}

function onSharedMemory<T extends Float32Array | Uint8Array>(
  values: T,
  Type: { new (buffer: SharedArrayBuffer, offset: number, length: number): T },
): T {
  if (values.buffer instanceof SharedArrayBuffer) return values;
  const shared = new Type(new SharedArrayBuffer(values.byteLength), 0, values.length);
  shared.set(values);
  return shared;
}
