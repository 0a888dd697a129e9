import { gzipSync } from 'node:zlib';

/** Test helper: the bytes of an IDX images file holding `images` (count * rows * cols bytes). */
export function makeIdxImages(images: Uint8Array, count: number, rows = 28, cols = 28): Uint8Array {
  const out = new Uint8Array(16 + images.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, 0x803);
  view.setUint32(4, count);
  view.setUint32(8, rows);
  view.setUint32(12, cols);
  out.set(images, 16);
  return out;
}

/** Test helper: the bytes of an IDX labels file holding `labels`. */
export function makeIdxLabels(labels: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(8 + labels.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, 0x801);
  view.setUint32(4, labels.length);
  out.set(Array.from(labels), 8);
  return out;
}

/** Test helper: `count` 28x28 images whose pixels are `(image * 7 + pixel) % 256`. */
export function patternImages(count: number): Uint8Array {
  const pixels = new Uint8Array(count * 784);
  for (let i = 0; i < count; i++) for (let p = 0; p < 784; p++) pixels[i * 784 + p] = (i * 7 + p) % 256;
  return pixels;
}

/** Test helper: gzip as a plain Uint8Array. */
export function gzip(bytes: Uint8Array, level = 6): Uint8Array {
  const out = gzipSync(bytes, { level });
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}
