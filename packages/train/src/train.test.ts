import { type ImageSet, normalizeImages, type TrainValidationSplit } from '@mnist/data';
import { loadMnist } from '@mnist/data/node';
import { createModel, evaluateModel } from '@mnist/model';
import { selectBackend } from '@mnist/runtime';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import {
  backend,
  getBackend,
  getKernel,
  memory,
  registerBackend,
  removeBackend,
  setBackend,
  type Tensor,
  unregisterKernel,
} from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EpochRecord, TrainingConfigInput, TrainingEvent } from './training-types.js';
import { TINY_MODEL } from './test-support.js';
import { train } from './train.js';
import { TrainingDataError } from './training-data-error.js';
import { UnsupportedBackendError } from './unsupported-backend-error.js';

const SEED = 7;

let split: TrainValidationSplit;
let heldOut: ImageSet;

function slice(set: ImageSet, start: number, end: number): ImageSet {
  const pixels = set.rows * set.cols;
  return {
    images: set.images.slice(start * pixels, end * pixels),
    labels: set.labels.slice(start, end),
    count: end - start,
    rows: set.rows,
    cols: set.cols,
  };
}

beforeAll(async () => {
  const mnist = await loadMnist();
  const raw = mnist.train;
  const first = normalizeImages({
    ...raw,
    images: raw.images.subarray(0, 1000 * 784),
    labels: raw.labels.subarray(0, 1000),
    count: 1000,
  });
  split = { train: slice(first, 0, 480), validation: slice(first, 480, 600) };
  heldOut = slice(first, 600, 1000);
}, 60_000);

async function run(
  backend: 'cpu' | 'wasm',
  config: TrainingConfigInput,
  onEvent?: (event: TrainingEvent, model: LayersModel) => void,
  signal?: AbortSignal,
  data: TrainValidationSplit = split,
) {
  await selectBackend(backend);
  const model = createModel(TINY_MODEL, { seed: SEED });
  const result = await train({
    model,
    data,
    // The loop's tests train on plain images; augmentation (a default) has its own tests.
    config: { batchSize: 32, seed: SEED, epochs: 2, augmentation: null, ...config },
    onEvent: onEvent && ((event) => onEvent(event, model)),
    signal,
  });
  return { model, result };
}

/** The history without its timings, which differ from run to run. */
function figures(history: EpochRecord[]) {
  return history.map(({ seconds: _s, samplesPerSecond: _r, ...rest }) => rest);
}

function weightValues(model: LayersModel): Float32Array[] {
  return model.getWeights().map((w: Tensor) => w.dataSync() as Float32Array);
}

describe('train', { timeout: 120_000 }, () => {
  it('learns, emits events in order and leaks no tensor', async () => {
    await selectBackend('wasm');
    const before = memory().numTensors;
    const events: TrainingEvent[] = [];
    const tensorsAtEpochEnd: number[] = [];
    const bytesAndIdsAtEpochEnd: string[] = [];
    const losses: number[] = [];
    const { model, result } = await run(
      'wasm',
      {
        epochs: 3,
        learningRate: 1e-2,
        earlyStopping: null,
        learningRateSchedule: { kind: 'step', everyEpochs: 2, factor: 0.5 },
      },
      (event) => {
        events.push(event);
        if (event.type === 'batchEnd') losses.push(event.loss);
        if (event.type === 'epochEnd') {
          tensorsAtEpochEnd.push(memory().numTensors);
          // The backend's own count too: a data id that kept a reference (shared data, as the
          // wasm kernels' Identity makes) would leak heap without a tensor to show it.
          bytesAndIdsAtEpochEnd.push(`${memory().numBytes} ${backend().numDataIds()}`);
        }
      },
    );
    const modelTensors = model.weights.length;

    // Order: trainStart, then per epoch 15 batchEnd (480 / 32) with increasing indices and one epochEnd, then trainEnd.
    expect(events[0]).toMatchObject({
      type: 'trainStart',
      backend: 'wasm',
      epochs: 3,
      batchesPerEpoch: 15,
      trainSamples: 480,
      validationSamples: 120,
    });
    const expected: string[] = ['trainStart'];
    for (let epoch = 0; epoch < 3; epoch++) {
      for (let batch = 0; batch < 15; batch++) expected.push(`batchEnd ${epoch}.${batch}`);
      expected.push(`epochEnd ${epoch}`);
    }
    expected.push('trainEnd');
    expect(
      events.map((e) =>
        e.type === 'batchEnd'
          ? `batchEnd ${e.epoch}.${e.batch}`
          : e.type === 'epochEnd'
            ? `epochEnd ${e.epoch}`
            : e.type,
      ),
    ).toEqual(expected);
    expect(events.at(-1)).toMatchObject({
      type: 'trainEnd',
      epochsRun: 3,
      stoppedEarly: false,
      aborted: false,
    });

    // No leak: Adam's slots exist from the first step on, so the count is the same at every epoch end,
    // and after the call only the model's weights (made after `before`) remain.
    expect(new Set(tensorsAtEpochEnd).size).toBe(1);
    expect(new Set(bytesAndIdsAtEpochEnd).size).toBe(1);
    expect(memory().numTensors).toBe(before + modelTensors);

    // It learns: loss goes down from chance level (ln 10 = 2.30), and held-out accuracy is far
    // above chance (10%).
    expect(result.history).toHaveLength(3);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(losses.slice(0, 5))).toBeGreaterThan(1.8);
    expect(mean(losses.slice(-10))).toBeLessThan(mean(losses.slice(0, 10)) * 0.75);
    expect(result.history[2]!.loss).toBeLessThan(result.history[0]!.loss);
    expect(result.history[2]!.valAccuracy).toBeGreaterThan(0.5);
    for (const record of result.history) {
      expect(record.samplesPerSecond).toBeGreaterThan(0);
      expect(record.learningRate).toBe(record.epoch < 2 ? 1e-2 : 5e-3);
    }
    const beforeEval = memory().numTensors;
    const { report, predictions, probabilities } = await evaluateModel(model, heldOut, { batchSize: 150 });
    expect(memory().numTensors).toBe(beforeEval);
    expect(report.count).toBe(400);
    expect(report.accuracy).toBeGreaterThan(0.5);
    expect(predictions).toHaveLength(400);
    expect(probabilities).toHaveLength(4000);
    expect(predictions.filter((p, i) => p === heldOut.labels[i]).length / 400).toBe(report.accuracy);
    model.dispose();
  });

  it('repeats exactly with the same seed on cpu, dropout included', async () => {
    // The cpu backend's conv and pool gradients are slow: 3 batches per epoch are enough here.
    const small = { train: slice(split.train, 0, 96), validation: slice(split.validation, 0, 64) };
    const first = await run('cpu', {}, undefined, undefined, small);
    const second = await run('cpu', {}, undefined, undefined, small);
    expect(first.result.backend).toBe('cpu');
    expect(figures(second.result.history)).toEqual(figures(first.result.history));
    expect(weightValues(second.model)).toEqual(weightValues(first.model));
    first.model.dispose();
    second.model.dispose();
  });

  it('repeats exactly with the same seed on wasm', async () => {
    const first = await run('wasm', {});
    const second = await run('wasm', {});
    expect(first.result.backend).toBe('wasm');
    expect(figures(second.result.history)).toEqual(figures(first.result.history));
    expect(first.result.history[1]!.loss).toBeLessThan(first.result.history[0]!.loss);
    // The seed matters: another one gives other numbers.
    const other = await run('wasm', { seed: SEED + 1 });
    expect(other.result.history[0]!.loss).not.toBe(first.result.history[0]!.loss);
    for (const { model } of [first, second, other]) model.dispose();
  });

  it('stops early and puts back the weights of the best epoch', async () => {
    const snapshots: Float32Array[][] = [];
    // minDelta 10 makes every epoch after the first "no improvement": with patience 1 it stops after epoch 1.
    const { model, result } = await run(
      'wasm',
      { epochs: 5, earlyStopping: { patience: 1, minDelta: 10, restoreBestWeights: true } },
      (event, m) => {
        if (event.type === 'epochEnd') snapshots.push(weightValues(m));
      },
    );
    expect(result.stoppedEarly).toBe(true);
    expect(result.epochsRun).toBe(2);
    expect(result.bestEpoch).toBe(0);
    expect(weightValues(model)).toEqual(snapshots[0]);
    expect(weightValues(model)).not.toEqual(snapshots[1]);
    const { report } = await evaluateModel(model, split.validation);
    expect(report.accuracy).toBeCloseTo(result.history[0]!.valAccuracy, 10);
    model.dispose();
  });

  it('finishes the current batch and stops cleanly when aborted', async () => {
    await selectBackend('wasm');
    const before = memory().numTensors;
    const controller = new AbortController();
    const events: TrainingEvent[] = [];
    const { model, result } = await run(
      'wasm',
      { epochs: 3 },
      (event) => {
        events.push(event);
        if (event.type === 'batchEnd' && event.epoch === 1 && event.batch === 3) controller.abort();
      },
      controller.signal,
    );
    expect(result).toMatchObject({ aborted: true, epochsRun: 1, stoppedEarly: false });
    const batchEnds = events.filter((e) => e.type === 'batchEnd');
    expect(batchEnds.at(-1)).toMatchObject({ epoch: 1, batch: 3 });
    expect(events.at(-1)).toMatchObject({ type: 'trainEnd', aborted: true, epochsRun: 1 });
    expect(memory().numTensors).toBe(before + model.weights.length);
    model.dispose();
  });

  it('trains without validation data, reporting NaN validation figures', async () => {
    const model = createModel(TINY_MODEL, { seed: SEED });
    const result = await train({
      model,
      data: { train: split.train, validation: slice(split.validation, 0, 0) },
      config: { epochs: 1, batchSize: 64, seed: SEED },
    });
    expect(result.history[0]!.valLoss).toBeNaN();
    expect(result.bestEpoch).toBe(0);
    model.dispose();
  });

  it('awaits afterEpoch once per epoch with the trained model and a measure tool, before the next epoch starts', async () => {
    const calls: string[] = [];
    let sawWeights = 0;
    const model = createModel(TINY_MODEL, { seed: SEED });
    await train({
      model,
      data: { train: slice(split.train, 0, 64), validation: slice(split.validation, 0, 32) },
      config: { epochs: 2, batchSize: 32, seed: SEED },
      onEvent: (event) => {
        if (event.type !== 'batchEnd') calls.push(event.type);
      },
      afterEpoch: async (record, trained, tools) => {
        calls.push(`afterEpoch ${record.epoch} start`);
        expect(trained).toBe(model);
        sawWeights = trained.countParams();
        // `measure` scores the model as trained so far, as `evaluateModel` does.
        const measured = await tools.measure(heldOut);
        const { report } = await evaluateModel(trained, heldOut);
        expect(measured.accuracy).toBe(report.accuracy);
        expect(measured.loss).toBeCloseTo(report.loss, 4);
        await expect(tools.measure(slice(heldOut, 0, 0))).rejects.toThrow(TrainingDataError);
        await new Promise((resolve) => setTimeout(resolve, 20));
        calls.push(`afterEpoch ${record.epoch} end`);
      },
    });
    expect(calls).toEqual([
      'trainStart',
      'epochEnd',
      'afterEpoch 0 start',
      'afterEpoch 0 end',
      'epochEnd',
      'afterEpoch 1 start',
      'afterEpoch 1 end',
      'trainEnd',
    ]);
    expect(sawWeights).toBe(model.countParams());
    model.dispose();
  });

  it('trains on the active backend only, and refuses one it cannot train on, saying how to select one', async () => {
    await selectBackend('cpu');
    const small = { train: slice(split.train, 0, 32), validation: slice(split.validation, 0, 0) };
    const model = createModel(TINY_MODEL, { seed: SEED });
    // The backend active when train is called is the one that trains: it never switches.
    expect((await train({ model, data: small, config: { epochs: 1 } })).backend).toBe('cpu');
    expect(getBackend()).toBe('cpu');

    // Another backend than wasm, cpu or tensorflow (here the cpu backend under another name).
    registerBackend('not-for-training', () => new MathBackendCPU());
    try {
      await setBackend('not-for-training');
      const error = await train({ model, data: small }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UnsupportedBackendError);
      expect((error as Error).message).toMatch(
        /^train: the active tfjs backend is 'not-for-training'; it trains on 'wasm', 'cpu' or 'tensorflow' .*selectBackend\(.*\) of @mnist\/runtime$/,
      );
    } finally {
      await setBackend('cpu');
      removeBackend('not-for-training');
    }

    // wasm without the training kernels of @mnist/wasm-kernels would fail deep inside tfjs.
    await selectBackend('wasm');
    unregisterKernel('Conv2DBackpropFilter', 'wasm');
    try {
      await expect(train({ model, data: small })).rejects.toThrow(
        /^train: the active backend is 'wasm' without the training kernels of @mnist\/wasm-kernels/,
      );
    } finally {
      // selectBackend registers them again.
      await selectBackend('wasm');
    }
    expect(getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
    model.dispose();
  });

  it('refuses data that does not fit the model', async () => {
    const model = createModel(TINY_MODEL, { seed: SEED });
    const small: ImageSet = {
      images: new Float32Array(2 * 14 * 14),
      labels: new Uint8Array(2),
      count: 2,
      rows: 14,
      cols: 14,
    };
    await expect(train({ model, data: { train: small, validation: small }, config: {} })).rejects.toThrow(
      TrainingDataError,
    );
    await expect(
      train({
        model,
        data: { train: slice(split.train, 0, 0), validation: split.validation },
        config: {},
      }),
    ).rejects.toThrow(/data.train has no images/);
    await expect(evaluateModel(model, small)).rejects.toThrow(
      /set holds 14x14 images but the model takes 28x28/,
    );
    model.dispose();
  });
});
