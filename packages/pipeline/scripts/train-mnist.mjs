// Trains the default model on real MNIST through trainMnist and prints throughput and test accuracy.
// Usage: node scripts/train-mnist.mjs [--train-limit N] [--test-limit N] [--epochs N] [--backend auto|wasm|cpu|node]
//        [--batch-size N] [--learning-rate X] [--decay X] [--model-json '{...}'] [--seed N]
// Build first: pnpm turbo run build --filter=@mnist/pipeline...
import { parseArgs } from 'node:util';
import { selectBackend } from '@mnist/runtime';
import { trainMnist } from '../dist/index.js';

const { values } = parseArgs({
  options: {
    'train-limit': { type: 'string' },
    'test-limit': { type: 'string' },
    epochs: { type: 'string' },
    backend: { type: 'string', default: 'auto' },
    'batch-size': { type: 'string' },
    'learning-rate': { type: 'string' },
    decay: { type: 'string' },
    'model-json': { type: 'string' },
    seed: { type: 'string' },
  },
});
const training = {};
if (values.epochs) training.epochs = Number(values.epochs);
if (values['batch-size']) training.batchSize = Number(values['batch-size']);
if (values['learning-rate']) training.learningRate = Number(values['learning-rate']);
if (values.decay) training.learningRateSchedule = { kind: 'exponential', decayRate: Number(values.decay) };
if (values.seed) training.seed = Number(values.seed);

// Once, before trainMnist builds the model: it trains on the active backend.
const backend = await selectBackend(values.backend, {
  onFallback: (skipped, reason) =>
    console.log(`backend ${skipped} skipped: ${reason.message.split('. ')[0]}`),
});
console.log(`backend: ${backend}`);

let lastPrint = 0;
let cpuBefore;
let evaluationStarted = 0;
const result = await trainMnist({
  source: 'package',
  ...(values['train-limit'] ? { trainLimit: Number(values['train-limit']) } : {}),
  ...(values['test-limit'] ? { testLimit: Number(values['test-limit']) } : {}),
  ...(values['model-json'] ? { model: JSON.parse(values['model-json']) } : {}),
  training,
  onEvent: (event) => {
    if (event.type === 'runStart') {
      const { data } = event;
      console.log(
        `model: ${event.summary.parameters} parameters; train ${data.trainSamples}, validation ${data.validationSamples}, test ${data.testSamples}`,
      );
      console.log(`config: ${JSON.stringify(event.training)}`);
    }
    // Training's CPU time alone: from the start of training to its end, the evaluation apart.
    if (event.type === 'trainStart') cpuBefore = process.cpuUsage();
    if (event.type === 'trainEnd') cpuBefore = process.cpuUsage(cpuBefore);
    if (event.type === 'batchEnd' && Date.now() - lastPrint > 15000) {
      lastPrint = Date.now();
      console.log(
        `  epoch ${event.epoch} batch ${event.batch}/${event.batchesPerEpoch} loss ${event.loss.toFixed(4)} ${event.samplesPerSecond.toFixed(0)} samples/s`,
      );
    }
    if (event.type === 'epochEnd') {
      console.log(
        `epoch ${event.epoch}: loss ${event.loss.toFixed(4)} acc ${event.accuracy.toFixed(4)} val_loss ${event.valLoss.toFixed(4)} val_acc ${event.valAccuracy.toFixed(4)} lr ${event.learningRate.toExponential(2)} ${event.samplesPerSecond.toFixed(0)} samples/s ${event.seconds.toFixed(1)} s`,
      );
    }
    if (event.type === 'evaluationStart') evaluationStarted = performance.now();
  },
});
const evaluationSeconds = (performance.now() - evaluationStarted) / 1000;
const { training: trained, data, evaluation } = result;
result.model.dispose();
const cpuSeconds = (cpuBefore.user + cpuBefore.system) / 1e6;
const samples = trained.history.length * data.trainSamples;
const trainSeconds = trained.history.reduce(
  (sum, record) => sum + data.trainSamples / record.samplesPerSecond,
  0,
);
// On a shared machine wall-clock throughput depends on the other processes; the process's own CPU
// time (training + validation, WASM is single-threaded) gives the figure for an idle core.
console.log(
  `throughput: ${(samples / trainSeconds).toFixed(0)} samples/s wall-clock; ${cpuSeconds.toFixed(1)} CPU-s over ${trained.seconds.toFixed(1)} s wall = ${(samples / cpuSeconds).toFixed(0)} samples per CPU-second (validation included)`,
);
console.log(
  `done: ${trained.epochsRun} epochs in ${trained.seconds.toFixed(1)} s on ${trained.backend}, best epoch ${trained.bestEpoch}, stopped early ${trained.stoppedEarly}; test accuracy ${(evaluation.report.accuracy * 100).toFixed(2)}% loss ${evaluation.report.loss.toFixed(4)} (eval ${evaluationSeconds.toFixed(1)} s)`,
);
