// Measures what the uint8 quantization of prepare-model costs: classifies the 10,000 MNIST test
// images with the float32 model and with the quantized one the demo ships, in Node on the WASM
// backend (or cpu if WASM cannot start), and prints both accuracies and how many predictions differ.
//   pnpm --filter wasm-demo eval-quantization                 # float model from packages/model/weights/
//   pnpm --filter wasm-demo eval-quantization -- --from DIR   # float model from a trainer run
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { normalizeImages } from '@mnist/data';
import { loadMnistFromPackage } from '@mnist/data/node';
import { evaluateModel } from '@mnist/model';
import { loadModel } from '@mnist/model/node';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { getBackend, setBackend } from '@tensorflow/tfjs-core';

const here = fileURLToPath(new URL('.', import.meta.url));
const fromFlag = process.argv.indexOf('--from');
const floatDir = fromFlag >= 0 ? process.argv[fromFlag + 1]! : join(here, '../../../packages/model/weights');
const quantizedDir = join(here, '../public/model');

if (!(await setBackend('wasm').catch(() => false))) await setBackend('cpu');
// Pixels to [0, 1] as the model was trained on; the demo page does the same per drawing.
const test = normalizeImages((await loadMnistFromPackage()).test);

const started = performance.now();
const float = await evaluateModel(await loadModel(floatDir), test);
const quantized = await evaluateModel(await loadModel(quantizedDir), test);
const differing = float.predictions.filter((digit, i) => digit !== quantized.predictions[i]).length;
const floatAccuracy = float.report.accuracy;
const quantizedAccuracy = quantized.report.accuracy;
console.log(
  `backend: ${getBackend()}, ${test.count} test images, ${((performance.now() - started) / 1000).toFixed(0)} s`,
);
console.log(`float32 (${floatDir}): ${(floatAccuracy * 100).toFixed(2)}%`);
console.log(`uint8   (${quantizedDir}): ${(quantizedAccuracy * 100).toFixed(2)}%`);
console.log(
  `accuracy change: ${((quantizedAccuracy - floatAccuracy) * 100).toFixed(2)} points; ` +
    `${differing} of ${test.count} predictions differ`,
);
