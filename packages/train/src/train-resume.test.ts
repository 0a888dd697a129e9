import type { TrainValidationSplit } from '@mnist/data';
import { createModel } from '@mnist/model';
import { memory } from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TrainingConfigInput } from './training-types.js';
import { learningRateAt, meanEpochLearningRate } from './learning-rate-at.js';
import { train } from './train.js';
import { TrainingDivergedError } from './training-diverged-error.js';
import type { TrainingState } from './training-state.js';
import { decodeTrainingState, encodeTrainingState } from './training-state-codec.js';
import { TrainingStateError } from './training-state-error.js';
import {
  figures,
  loadTinySplit,
  TINY_MODEL,
  type TinyRunOptions,
  trainTiny,
  weightValues,
} from './test-support.js';

// Checkpoints and resume at the library level: a run stopped anywhere and resumed from the state
// `onCheckpoint` received must end with bit-identical weights and figures. Dropout is on, so the
// per-step seeding is exercised, and Adam's moments and beta powers must come back exactly.
const SEED = 11;
const CONFIG = { batchSize: 32, seed: SEED, epochs: 2 };

let split: TrainValidationSplit;

beforeAll(async () => {
  // 400 training images: 13 batches of 32 (the last one 16), so a resume also crosses a short batch.
  split = await loadTinySplit(400, 100);
}, 60_000);

function run(options: TinyRunOptions) {
  return trainTiny(split, CONFIG, options);
}

describe('train with checkpoints', { timeout: 120_000 }, () => {
  it('resumes from any checkpoint to exactly the weights and figures of an uninterrupted run', async () => {
    const plain = await run({});
    const states: TrainingState[] = [];
    const checkpointed = await run({ every: 5, states });
    // Checkpointing itself changes nothing.
    expect(figures(checkpointed.result.history)).toEqual(figures(plain.result.history));
    expect(weightValues(checkpointed.model)).toEqual(weightValues(plain.model));
    // Every 5 batches within each 13-batch epoch, and at each epoch's end.
    expect(states.map((s) => [s.epoch, s.batch])).toEqual([
      [0, 5],
      [0, 10],
      [1, 0],
      [1, 5],
      [1, 10],
      [2, 0],
    ]);
    expect(states[0]!.optimizer[0]!.values[0]).toBe(5); // Adam's iteration count
    for (const state of [states[0]!, states[2]!, states[4]!]) {
      const before = memory().numTensors;
      // Through the codec, as a checkpoint file carries it.
      const resumed = await run({ resumeFrom: decodeTrainingState(encodeTrainingState(state)).state });
      expect(figures(resumed.result.history), `from ${state.epoch}/${state.batch}`).toEqual(
        figures(plain.result.history),
      );
      expect(weightValues(resumed.model)).toEqual(weightValues(plain.model));
      expect(resumed.result.epochsRun).toBe(2);
      // Nothing but the new model's weights outlives the resumed call.
      expect(memory().numTensors).toBe(before + resumed.model.weights.length);
      resumed.model.dispose();
    }
    // A finished run's last state resumes to nothing more to do.
    const done = await run({ resumeFrom: states[5]! });
    expect(done.result.epochsRun).toBe(2);
    expect(weightValues(done.model)).toEqual(weightValues(plain.model));
    for (const { model } of [plain, checkpointed, done]) model.dispose();
  });

  it.each([
    ['oneCycle', 1, { kind: 'oneCycle', warmupFraction: 0.3, initialDivisor: 25, finalDivisor: 1e4 }],
    ['warmupCosine', 1, { kind: 'warmupCosine', warmupFraction: 0.2, minLearningRate: 1e-5 }],
    // The gradient threads' slices use the run's label smoothing; the one AdamW step is this thread's.
    ['oneCycle', 2, { kind: 'oneCycle', warmupFraction: 0.3, initialDivisor: 25, finalDivisor: 1e4 }],
  ] as const)(
    'resumes mid-epoch exactly with a per-step %s schedule, label smoothing and weight decay on %i thread(s)',
    async (_kind, threads, learningRateSchedule) => {
      const config: TrainingConfigInput = {
        learningRate: 3e-3,
        learningRateSchedule,
        labelSmoothing: 0.1,
        weightDecay: 0.01,
        threads,
      };
      const plain = await run({ config });
      expect(plain.result.threads).toBe(threads);
      // The rate moved every step: each epoch reports the mean of its 13 steps' rates.
      const rates = Array.from({ length: 26 }, (_, step) =>
        learningRateAt(learningRateSchedule, 3e-3, Math.floor(step / 13), 2, step % 13, 13),
      );
      const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
      expect(plain.result.history.map((r) => r.learningRate)).toEqual([
        meanEpochLearningRate(learningRateSchedule, 3e-3, 0, 2, 13),
        meanEpochLearningRate(learningRateSchedule, 3e-3, 1, 2, 13),
      ]);
      expect(plain.result.history[0]!.learningRate).toBeCloseTo(mean(rates.slice(0, 13)), 15);
      // The options train: the same run without them ends with other weights.
      const without = await run({ config: { learningRate: 3e-3, learningRateSchedule, threads } });
      expect(weightValues(without.model)).not.toEqual(weightValues(plain.model));

      const states: TrainingState[] = [];
      const checkpointed = await run({ config, every: 5, states });
      expect(weightValues(checkpointed.model)).toEqual(weightValues(plain.model));
      for (const state of [states[0]!, states[3]!]) {
        expect(state.batch).toBe(5);
        const before = memory().numTensors;
        const resumed = await run({
          config,
          resumeFrom: decodeTrainingState(encodeTrainingState(state)).state,
        });
        expect(figures(resumed.result.history), `from ${state.epoch}/${state.batch}`).toEqual(
          figures(plain.result.history),
        );
        expect(weightValues(resumed.model)).toEqual(weightValues(plain.model));
        expect(memory().numTensors).toBe(before + resumed.model.weights.length);
        resumed.model.dispose();
      }
      for (const { model } of [plain, without, checkpointed]) model.dispose();
    },
  );

  it('checkpoints when aborted, and that checkpoint resumes exactly', async () => {
    const plain = await run({});
    const states: TrainingState[] = [];
    const controller = new AbortController();
    const stopped = await run({ states, abortAt: { epoch: 1, batch: 2, controller } });
    expect(stopped.result.aborted).toBe(true);
    const last = states.at(-1)!;
    expect([last.epoch, last.batch]).toEqual([1, 3]);
    const resumed = await run({ resumeFrom: last });
    expect(figures(resumed.result.history)).toEqual(figures(plain.result.history));
    expect(weightValues(resumed.model)).toEqual(weightValues(plain.model));
    for (const { model } of [plain, stopped, resumed]) model.dispose();
  });

  it('resumes early stopping with the best weights it had kept', async () => {
    const config = { epochs: 4, earlyStopping: { patience: 1, minDelta: 10, restoreBestWeights: true } };
    const plain = await run({ config });
    const states: TrainingState[] = [];
    const stopped = await run({ config, states, every: 6 });
    const midSecond = states.find((s) => s.epoch === 1 && s.batch === 6)!;
    expect(midSecond.best.weights).not.toBeNull();
    const resumed = await run({ config, resumeFrom: midSecond });
    expect(resumed.result).toMatchObject({ stoppedEarly: true, bestEpoch: 0, epochsRun: 2 });
    expect(figures(resumed.result.history)).toEqual(figures(plain.result.history));
    expect(weightValues(resumed.model)).toEqual(weightValues(plain.model));
    for (const { model } of [plain, stopped, resumed]) model.dispose();
  });

  it('refuses a state from another run, naming the field', async () => {
    const states: TrainingState[] = [];
    const first = await run({ config: { epochs: 1 }, states });
    const state = states[0]!;
    for (const [config, field] of [
      [{ seed: SEED + 1 }, 'seed'],
      [{ batchSize: 16 }, 'batchSize'],
      // Resumed on another thread count than it ran on (1: 'auto' on 800 images).
      [{ threads: 2 }, 'threads'],
    ] as const) {
      const error = await run({ config, resumeFrom: state }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TrainingStateError);
      expect((error as Error).message).toContain(`resumeFrom: ${field} is`);
    }
    const otherModel = createModel({ ...TINY_MODEL, denseUnits: 8 }, { seed: SEED });
    const error = await train({ model: otherModel, data: split, config: CONFIG, resumeFrom: state }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TrainingStateError);
    expect((error as Error).message).toMatch(/^resumeFrom: weights\[\d+\] \(.+\) has shape/);
    otherModel.dispose();
    first.model.dispose();
  });

  it('stops with TrainingDivergedError naming epoch and batch when training blows up', async () => {
    const before = memory().numTensors;
    const states: TrainingState[] = [];
    const model = createModel(TINY_MODEL, { seed: SEED });
    // 1e6 only saturates this model (the clipped loss sticks near 14); 1e20 overflows its weights.
    const error = await train({
      model,
      data: split,
      config: { ...CONFIG, learningRate: 1e20 },
      checkpointEveryBatches: 1,
      onCheckpoint: (state) => void states.push(state),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TrainingDivergedError);
    const { epoch, batch } = error as TrainingDivergedError;
    expect((error as Error).message).toContain(`at epoch ${epoch + 1}, batch ${batch + 1}`);
    // The last checkpoint is the state right before the bad step, and its weights are finite.
    const last = states.at(-1)!;
    expect([last.epoch, last.batch]).toEqual([epoch, batch]);
    expect(last.weights.every((w) => w.values.every(Number.isFinite))).toBe(true);
    expect(memory().numTensors).toBe(before + model.weights.length);
    model.dispose();
  });
});
