// Untracked helper: a short fixed-seed run, prints the SHA-256 of the final weights.
import { createHash } from 'node:crypto';
import { normalizeImages, splitTrainValidation } from '@mnist/data';
import { loadMnist } from '@mnist/data/node';
import { createModel } from '@mnist/model';
import * as trainPkg from '../dist/index.js';

const threads = Number(process.argv[2] ?? 1);
const count = Number(process.argv[3] ?? 3000);
let selectBackend = trainPkg.selectBackend;
if (selectBackend === undefined) ({ selectBackend } = await import('@mnist/runtime'));
await selectBackend('wasm');
const mnist = await loadMnist();
const raw = {
  ...mnist.train,
  images: mnist.train.images.subarray(0, count * 784),
  labels: mnist.train.labels.subarray(0, count),
  count,
};
const data = splitTrainValidation(normalizeImages(raw), 0.1, 42);
const model = createModel(undefined, { seed: 42 });
const config = { epochs: 1, batchSize: 64, seed: 42, threads, earlyStopping: null };
if (trainPkg.selectBackend !== undefined) config.backend = 'wasm';
const t = performance.now();
const result = await trainPkg.train({ model, data, config });
const hash = createHash('sha256');
for (const w of model.getWeights()) hash.update(Buffer.from(w.dataSync().buffer));
console.log(
  JSON.stringify({
    threads: result.threads,
    seconds: ((performance.now() - t) / 1000).toFixed(1),
    history: result.history.map(({ seconds, samplesPerSecond, ...r }) => r),
    sha256: hash.digest('hex'),
  }),
);
