import { MnistError } from '@mnist/core';
import type { MnistDataset, RawImageSet } from '@mnist/data';
import { DataSourceError, loadMnist } from '@mnist/data/node';
import { selectBackend } from '@mnist/runtime';
import { decodeTrainingState, encodeTrainingState, type EpochRecord, type TrainingState } from '@mnist/train';
import { getBackend, memory, type Tensor } from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EpochTestRecord, PipelineEvent, TrainMnistOptions } from './pipeline-types.js';
import { trainMnist } from './train-mnist.js';
import { TrainMnistOptionsError } from './train-mnist-options-error.js';

const TINY_MODEL = {
  convLayers: 1,
  filters: 4,
  kernelSize: 3,
  poolAfter: [0],
  dropout: 0.25,
  denseUnits: 16,
};
// 300 training images (240 train + 60 validation: 8 batches of 32, the last one 16), 100 test.
const SMALL: TrainMnistOptions = {
  trainLimit: 300,
  testLimit: 100,
  model: TINY_MODEL,
  training: { epochs: 2, batchSize: 32, seed: 11, threads: 1, validationSplit: 0.2, earlyStopping: null },
};

let mnist: MnistDataset;

beforeAll(async () => {
  mnist = await loadMnist();
  await selectBackend('wasm');
}, 60_000);

function weightValues(model: LayersModel): Float32Array[] {
  return model.getWeights().map((w: Tensor) => w.dataSync() as Float32Array);
}

/** Figures without their timings, which differ from run to run. */
function figures(history: readonly EpochRecord[]) {
  return history.map(({ seconds: _s, samplesPerSecond: _r, ...rest }) => rest);
}
function testFigures(tests: readonly EpochTestRecord[]) {
  return tests.map(({ seconds: _s, ...rest }) => rest);
}

describe('trainMnist', { timeout: 120_000 }, () => {
  it('loads, trains, scores each epoch, evaluates, reports in order and leaks no tensor', async () => {
    const before = memory().numTensors;
    const events: PipelineEvent[] = [];
    const result = await trainMnist({
      ...SMALL,
      source: mnist,
      targetAccuracy: 0.2,
      evaluate: { misclassified: 5 },
      onEvent: (event) => events.push(event),
    });

    const kinds = events.map((e) => e.type).filter((type) => type !== 'batchEnd');
    expect(kinds).toEqual([
      'runStart',
      'trainStart',
      'epochEnd',
      'epochTest',
      'epochEnd',
      'epochTest',
      'trainEnd',
      'evaluationStart',
      'runEnd',
    ]);
    expect(events.filter((e) => e.type === 'batchEnd')).toHaveLength(2 * 8);
    const start = events[0]!;
    if (start.type !== 'runStart') throw new Error('first event is not runStart');
    expect(start.data).toEqual({ trainSamples: 240, validationSamples: 60, testSamples: 100 });
    expect(start.model).toMatchObject(TINY_MODEL);
    expect(start.training).toMatchObject({ epochs: 2, batchSize: 32, seed: 11 });
    expect(start.summary.parameters).toBe(result.summary.parameters);
    expect(start.summary.parameters).toBeGreaterThan(0);
    expect(start).toMatchObject({ targetAccuracy: 0.2, resumedAt: null });
    // The first epoch at or above the target carries the time to target; later ones do not.
    const tests = events.filter((e) => e.type === 'epochTest');
    // Seeded, so the same epoch every time; the tiny model gets there within its two epochs.
    const first = result.epochTests.findIndex((t) => t.accuracy >= 0.2);
    expect(first).toBeGreaterThanOrEqual(0);
    expect(tests.map((e) => e.reachedTarget !== null)).toEqual([0, 1].map((epoch) => epoch === first));
    expect(tests.map((e) => e.test)).toEqual(result.epochTests);
    expect(tests[0]!.testSamples).toBe(100);
    expect(events.at(-1)).toEqual({ type: 'runEnd', result });

    expect(result.aborted).toBe(false);
    expect(result.training.epochsRun).toBe(2);
    expect(result.training.backend).toBe('wasm');
    expect(result.data).toEqual(start.data);
    expect(result.dataset).toBe(mnist);
    expect(result.epochTests.map((t) => t.epoch)).toEqual([0, 1]);
    expect(result.timeToTarget).toMatchObject({ target: 0.2, reached: true, epoch: first, epochs: 2 });
    const upToFirst = result.training.history.slice(0, first + 1).reduce((sum, r) => sum + r.seconds, 0);
    expect(result.timeToTarget!.seconds).toBe(upToFirst);
    const evaluation = result.evaluation!;
    expect(evaluation.report.confusionMatrix.flat().reduce((a, b) => a + b, 0)).toBe(100);
    expect(evaluation.predictions).toHaveLength(100);
    expect(evaluation.misclassified.examples).toHaveLength(Math.min(5, evaluation.misclassified.count));
    // Only the model's own weights outlive the run; disposing it brings the count back.
    expect(memory().numTensors).toBe(before + result.model.weights.length);
    result.model.dispose();
    expect(memory().numTensors).toBe(before);
  });

  it('skips the per-epoch test scoring and the evaluation when asked: only training runs', async () => {
    const events: PipelineEvent[] = [];
    const result = await trainMnist({
      ...SMALL,
      source: mnist,
      evaluate: false,
      onEvent: (event) => events.push(event),
    });
    expect(events.map((e) => e.type).filter((t) => t !== 'batchEnd')).toEqual([
      'runStart',
      'trainStart',
      'epochEnd',
      'epochEnd',
      'trainEnd',
      'runEnd',
    ]);
    expect([result.evaluation, result.timeToTarget, result.epochTests]).toEqual([null, null, []]);
    result.model.dispose();
  });

  it('an abort mid-run leaves a checkpoint that resumes to the weights of an uninterrupted run', async () => {
    const options = { ...SMALL, source: mnist, targetAccuracy: 0.99, evaluate: false } as const;
    const whole = await trainMnist(options);

    const controller = new AbortController();
    let last: { state: TrainingState; epochTests: EpochTestRecord[] } | undefined;
    const stopped = await trainMnist({
      ...options,
      signal: controller.signal,
      checkpointEveryBatches: 3,
      onEvent: (event) => {
        if (event.type === 'batchEnd' && event.epoch === 1 && event.batch === 4) controller.abort();
      },
      onCheckpoint: (state, progress) => {
        // Through the codec, as a checkpoint file carries it.
        last = {
          state: decodeTrainingState(encodeTrainingState(state)).state,
          epochTests: progress.epochTests,
        };
      },
    });
    expect(stopped.aborted).toBe(true);
    expect(stopped.evaluation).toBeNull();
    stopped.model.dispose();
    // The abort's own checkpoint: after batch 5 of epoch 2, with epoch 1's test figure.
    expect([last!.state.epoch, last!.state.batch]).toEqual([1, 5]);
    expect(last!.epochTests.map((t) => t.epoch)).toEqual([0]);

    const events: PipelineEvent[] = [];
    const resumed = await trainMnist({
      ...options,
      resumeFrom: last!.state,
      resumeEpochTests: last!.epochTests,
      onEvent: (event) => events.push(event),
    });
    expect(events[0]).toMatchObject({ type: 'runStart', resumedAt: { epoch: 1, batch: 5 } });
    expect(figures(resumed.training.history)).toEqual(figures(whole.training.history));
    expect(testFigures(resumed.epochTests)).toEqual(testFigures(whole.epochTests));
    expect(weightValues(resumed.model)).toEqual(weightValues(whole.model));
    expect(resumed.timeToTarget).toMatchObject({ reached: whole.timeToTarget!.reached, epochs: 2 });
    whole.model.dispose();
    resumed.model.dispose();
  });

  it('trains on the backend the app selected and never switches it', async () => {
    await selectBackend('cpu');
    try {
      const result = await trainMnist({
        ...SMALL,
        source: mnist,
        training: { ...SMALL.training, epochs: 1 },
        evaluate: false,
      });
      expect(result.training.backend).toBe('cpu');
      expect(getBackend()).toBe('cpu');
      result.model.dispose();
    } finally {
      await selectBackend('wasm');
    }
  });

  it('names a folder source that does not exist, with the typed error of @mnist/data', async () => {
    const before = memory().numTensors;
    const error = await trainMnist({ ...SMALL, source: { dir: '/nonexistent/mnist' } }).catch(
      (e: unknown) => e,
    );
    expect(DataSourceError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('/nonexistent/mnist');
    expect(memory().numTensors).toBe(before);
  });

  it('names the part of an in-memory dataset that is not an MNIST image set', async () => {
    const broken: RawImageSet = { ...mnist.test, rows: 14 };
    const error = await trainMnist({ ...SMALL, source: { train: mnist.train, test: broken } }).catch(
      (e: unknown) => e,
    );
    expect(TrainMnistOptionsError.isInstance(error)).toBe(true);
    expect(MnistError.isInstance(error)).toBe(true);
    expect(DataSourceError.isInstance(error)).toBe(false);
    expect((error as Error).message).toMatch(/^source\.test must be a RawImageSet of 28x28 .*rows: 14/);
  });

  it('refuses a limit that is not a positive integer and a target outside (0, 1], naming the option', async () => {
    await expect(trainMnist({ ...SMALL, source: mnist, trainLimit: 0 })).rejects.toThrow(
      /^trainLimit must be a positive integer, got 0$/,
    );
    await expect(trainMnist({ ...SMALL, source: mnist, testLimit: 2.5 })).rejects.toThrow(/^testLimit /);
    await expect(trainMnist({ ...SMALL, source: mnist, targetAccuracy: 99 })).rejects.toThrow(
      TrainMnistOptionsError,
    );
  });
});
