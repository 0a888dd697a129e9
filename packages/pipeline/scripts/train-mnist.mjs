// Trains the default model on real MNIST and prints throughput and test accuracy.
// Usage: node scripts/train-mnist.mjs [--train-limit N] [--test-limit N] [--epochs N] [--backend auto|wasm|cpu|node]
//        [--batch-size N] [--learning-rate X] [--decay X] [--model-json '{...}'] [--seed N]
// Build first: pnpm turbo run build --filter=@mnist/train...
import { parseArgs } from 'node:util';
import { normalizeImages, splitTrainValidation } from '@mnist/data';
import { loadMnist } from '@mnist/data/node';
import { createModel, evaluateModel, summarizeModel } from '@mnist/model';
import { selectBackend } from '@mnist/runtime';
import { resolveTrainingConfig, train } from '../dist/index.js';

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
const input = {};
if (values.epochs) input.epochs = Number(values.epochs);
if (values['batch-size']) input.batchSize = Number(values['batch-size']);
if (values['learning-rate']) input.learningRate = Number(values['learning-rate']);
if (values.decay) input.learningRateSchedule = { kind: 'exponential', decayRate: Number(values.decay) };
if (values.seed) input.seed = Number(values.seed);
const config = resolveTrainingConfig(input);

// Once, before the model exists: `train` trains on the active backend.
const backend = await selectBackend(values.backend, {
  onFallback: (skipped, reason) =>
    console.log(`backend ${skipped} skipped: ${reason.message.split('. ')[0]}`),
});
console.log(`backend: ${backend}`);
const mnist = await loadMnist();
const limit = (raw, n) =>
  n ? { ...raw, images: raw.images.subarray(0, n * 784), labels: raw.labels.subarray(0, n), count: n } : raw;
const trainSet = normalizeImages(limit(mnist.train, Number(values['train-limit'] ?? 0)));
const testSet = normalizeImages(limit(mnist.test, Number(values['test-limit'] ?? 0)));
const data = splitTrainValidation(trainSet, config.validationSplit, config.seed);
const model = createModel(values['model-json'] ? JSON.parse(values['model-json']) : undefined, {
  seed: config.seed,
});
console.log(
  `model: ${summarizeModel(model).parameters} parameters; train ${data.train.count}, validation ${data.validation.count}, test ${testSet.count}`,
);
console.log(`config: ${JSON.stringify(config)}`);

let lastPrint = 0;
const cpuBefore = process.cpuUsage();
const result = await train({
  model,
  data,
  config,
  onEvent: (event) => {
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
  },
});
const cpu = process.cpuUsage(cpuBefore);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
const samples = result.history.length * data.train.count;
const trainSeconds = result.history.reduce(
  (sum, record) => sum + data.train.count / record.samplesPerSecond,
  0,
);
// On a shared machine wall-clock throughput depends on the other processes; the process's own CPU
// time (training + validation, WASM is single-threaded) gives the figure for an idle core.
console.log(
  `throughput: ${(samples / trainSeconds).toFixed(0)} samples/s wall-clock; ${cpuSeconds.toFixed(1)} CPU-s over ${result.seconds.toFixed(1)} s wall = ${(samples / cpuSeconds).toFixed(0)} samples per CPU-second (validation included)`,
);
const t = performance.now();
const { report } = await evaluateModel(model, testSet);
console.log(
  `done: ${result.epochsRun} epochs in ${result.seconds.toFixed(1)} s on ${result.backend}, best epoch ${result.bestEpoch}, stopped early ${result.stoppedEarly}; test accuracy ${(report.accuracy * 100).toFixed(2)}% loss ${report.loss.toFixed(4)} (eval ${((performance.now() - t) / 1000).toFixed(1)} s)`,
);
