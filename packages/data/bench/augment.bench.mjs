// Times augmentImageSet on real MNIST batches of 64 with the built package (run `pnpm build` first),
// and sets the cost of a batch against a training step (the target: under 5% of a step).
// Usage: node bench/augment.bench.mjs [batches]. STEP_MS sets the step time to compare with
// (default 64/600 s = 106.7 ms: a batch of 64 at about 600 images/s, the default model on 2 threads).
import { cpus, loadavg } from 'node:os';
import { augmentImageSet, normalizeImages, shuffledIndices, subsetImageSet } from '../dist/index.js';
import { loadMnistFromPackage } from '../dist/node.js';

const BATCHES = Number(process.argv[2] ?? 400);
const BATCH = 64;
const STEP_MS = Number(process.env.STEP_MS ?? (64 / 600) * 1000);

const configs = [
  ['identity (all ranges 0)', { rotationDegrees: 0, scale: 0, shift: 0, shear: 0, elastic: null }],
  [
    'affine: rotation 15, scale 0.15, shift 0.1',
    { rotationDegrees: 15, scale: 0.15, shift: 0.1, shear: 0, elastic: null },
  ],
  ['affine + shear 10', { rotationDegrees: 15, scale: 0.15, shift: 0.1, shear: 10, elastic: null }],
  [
    'affine + elastic (alpha 34, sigma 4)',
    { rotationDegrees: 15, scale: 0.15, shift: 0.1, shear: 0, elastic: { alpha: 34, sigma: 4 } },
  ],
];

const train = normalizeImages((await loadMnistFromPackage()).train);
const order = shuffledIndices(train.count, 1);
// The batches as training cuts them: 64 images gathered from the shuffled order, one seed each.
const batches = Array.from({ length: BATCHES }, (_, b) => {
  const indices = order.subarray(
    (b * BATCH) % (train.count - BATCH),
    ((b * BATCH) % (train.count - BATCH)) + BATCH,
  );
  return { set: subsetImageSet(train, indices), seeds: Uint32Array.from(indices, (i) => i * 2654435761) };
});

console.log(
  `@mnist/data augmentation benchmark: Node ${process.version}, ${cpus().length} cores, load average ${loadavg()[0].toFixed(1)}, ` +
    `${BATCHES} batches of ${BATCH} (after a warm-up pass), one thread; step compared with: ${STEP_MS.toFixed(1)} ms ` +
    '(on 2 threads each augments half the batch, so a step pays about half of the figures below)',
);
for (const [label, config] of configs) {
  for (const { set, seeds } of batches.slice(0, 50)) augmentImageSet(set, config, seeds); // JIT warm-up
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  let sink = 0;
  for (const { set, seeds } of batches) sink += augmentImageSet(set, config, seeds).images[300];
  const ms = performance.now() - start;
  const cpu = process.cpuUsage(cpuStart);
  const perBatch = ms / BATCHES;
  const cpuPerBatch = (cpu.user + cpu.system) / 1000 / BATCHES;
  // Other work on the machine inflates wall time; CPU time is the cost itself, so the share uses it.
  const share = (100 * cpuPerBatch) / STEP_MS;
  console.log(
    `${label.padEnd(44)} ${((BATCHES * BATCH) / (ms / 1000)).toFixed(0).padStart(8)} images/s, ` +
      `wall ${perBatch.toFixed(3)} ms, cpu ${cpuPerBatch.toFixed(3)} ms per batch of 64 = ${share.toFixed(2)}% of a step ` +
      `${share < 5 ? 'OK' : 'OVER the 5% target'}${Number.isNaN(sink) ? ' (NaN!)' : ''}`,
  );
}
