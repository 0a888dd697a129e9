// What `step-profile.mjs` and `thread-scaling.mjs` train on: the default model on random images of
// MNIST shape with the work per step of `pnpm bench`'s training (apps/bench's `benchTrainingConfig`:
// plain Adam at one rate, no augmentation, no validation), so their figures describe the steps that
// bench times.

/** `count` random images (pixels k / 255, as MNIST's) and labels; the figures depend on the shapes, not the pixels. */
export function randomTrainingData(count) {
  // A small LCG, seeded alike in every run.
  let state = 42;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const images = Float32Array.from({ length: count * 28 * 28 }, () => Math.floor(next() * 256) / 255);
  const labels = Uint8Array.from({ length: count }, () => Math.floor(next() * 10));
  const empty = { images: new Float32Array(0), labels: new Uint8Array(0), count: 0, rows: 28, cols: 28 };
  return { train: { images, labels, count, rows: 28, cols: 28 }, validation: empty };
}

/** The `train()` config of one epoch at `batchSize` on `threads` threads. */
export function benchTrainingConfig(batchSize, threads) {
  return {
    threads,
    batchSize,
    epochs: 1,
    learningRate: 1e-3,
    seed: 1,
    validationSplit: 0,
    earlyStopping: null,
    augmentation: null,
    learningRateSchedule: { kind: 'constant' },
    weightDecay: 0,
  };
}
