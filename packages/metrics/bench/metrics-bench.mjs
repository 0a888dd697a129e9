// Times the metrics on an MNIST-test-sized input (10 000 × 10 softmax rows). Run after a build:
// `pnpm --filter @mnist/metrics bench`. Figures are medians over repeated runs; the machine is shared, so
// compare numbers from one run side by side rather than across runs.
import { performance } from 'node:perf_hooks';
import {
  accuracy,
  argmaxRows,
  classificationMetrics,
  confusionMatrix,
  evaluatePredictions,
  formatClassificationReport,
  logLoss,
  topKAccuracy,
} from '../dist/index.js';

const N = 10_000;
const CLASSES = 10;
const REPEATS = 25;

// Deterministic pseudo-random softmax rows (mulberry32), peaked at the true label most of the time.
let seed = 42;
function random() {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const yTrue = new Uint8Array(N);
const probabilities = new Float32Array(N * CLASSES);
for (let i = 0; i < N; i++) {
  yTrue[i] = Math.floor(random() * CLASSES);
  let sum = 0;
  for (let c = 0; c < CLASSES; c++) {
    const value = Math.exp(random() * 2 + (c === yTrue[i] ? 1.5 : 0));
    probabilities[i * CLASSES + c] = value;
    sum += value;
  }
  for (let c = 0; c < CLASSES; c++) probabilities[i * CLASSES + c] /= sum;
}
const yPred = argmaxRows(probabilities);
const report = evaluatePredictions(yTrue, probabilities);

function median(run) {
  const times = [];
  for (let r = 0; r < REPEATS; r++) {
    const start = performance.now();
    run();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(REPEATS / 2)];
}

const rows = [
  ['argmaxRows', () => argmaxRows(probabilities)],
  ['accuracy', () => accuracy(yTrue, yPred)],
  ['topKAccuracy k=3', () => topKAccuracy(yTrue, probabilities, 3)],
  ['logLoss', () => logLoss(yTrue, probabilities)],
  ['confusionMatrix', () => confusionMatrix(yTrue, yPred)],
  ['classificationMetrics', () => classificationMetrics(yTrue, yPred)],
  ['evaluatePredictions', () => evaluatePredictions(yTrue, probabilities)],
  ['formatClassificationReport', () => formatClassificationReport(report)],
];
console.log(`@mnist/metrics on ${N} × ${CLASSES} Float32Array probabilities (median of ${REPEATS} runs)`);
for (const [name, run] of rows) {
  run(); // warm up the JIT before timing
  console.log(`${name.padEnd(28)} ${median(run).toFixed(3).padStart(8)} ms`);
}
console.log(`\naccuracy ${report.accuracy.toFixed(4)}, log loss ${report.loss.toFixed(4)}`);
