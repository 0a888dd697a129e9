import { describe, expect, it } from 'vitest';
import { decodeTrainingState, encodeTrainingState } from './training-state-codec.js';
import type { TrainingState } from './training-state.js';
import { TrainingStateError } from './training-state-error.js';

function sample(): TrainingState {
  return {
    formatVersion: 2,
    seed: 3,
    batchSize: 32,
    trainSamples: 400,
    threads: 2,
    epoch: 1,
    batch: 4,
    epochProgress: { seen: 128, lossSum: 290.1234567890123, correct: 40, trainMs: 812.5, elapsedMs: 900.25 },
    history: [
      {
        epoch: 0,
        loss: 2.1,
        accuracy: 0.3,
        valLoss: Number.NaN,
        valAccuracy: Number.NaN,
        seconds: 1.5,
        samplesPerSecond: 300,
        learningRate: 0.001,
      },
    ],
    best: {
      epoch: 0,
      valLoss: Number.POSITIVE_INFINITY,
      weights: [{ name: 'best/0', shape: [3], dtype: 'float32', values: Float32Array.of(Number.NaN, -0, 1) }],
    },
    sinceImprovement: 1,
    stoppedEarly: false,
    weights: [
      { name: 'w', shape: [2, 3], dtype: 'float32', values: Float32Array.of(1, -2.5, 3e-8, 0, -0, 7) },
      { name: 'b', shape: [3], dtype: 'float32', values: Float32Array.of(0.1, 0.2, 0.3) },
    ],
    optimizer: [
      { name: 'iter', shape: [], dtype: 'int32', values: Int32Array.of(17) },
      { name: 'accBeta1', shape: [], dtype: 'float32', values: Float32Array.of(0.9 ** 18) },
      { name: 'accBeta2', shape: [], dtype: 'float32', values: Float32Array.of(0.999 ** 18) },
    ],
  };
}

function errorOf(bytes: Uint8Array): TrainingStateError {
  try {
    decodeTrainingState(bytes);
  } catch (error) {
    expect(error).toBeInstanceOf(TrainingStateError);
    return error as TrainingStateError;
  }
  throw new Error('expected the bytes to be refused');
}

describe('the training-state codec', () => {
  it('round-trips a state and its metadata exactly: NaN, infinities, -0 and int32 included', () => {
    const metadata = {
      command: ['--epochs', '2'],
      best: Number.NEGATIVE_INFINITY,
      nested: { n: Number.NaN },
    };
    const bytes = encodeTrainingState(sample(), metadata);
    const decoded = decodeTrainingState(bytes);
    expect(decoded.state).toEqual(sample());
    expect(decoded.metadata).toEqual(metadata);
    expect(Object.is(decoded.state.weights[0]!.values[4], -0)).toBe(true);
    expect(Object.is(decoded.state.best.weights![0]!.values[1], -0)).toBe(true);
    expect(decoded.state.optimizer[0]!.values).toBeInstanceOf(Int32Array);
    expect(decodeTrainingState(encodeTrainingState(sample())).metadata).toBeUndefined();
  });

  it('decodes from a view at any offset of a larger buffer (a Node Buffer from a file read)', () => {
    const bytes = encodeTrainingState(sample());
    const file = Buffer.alloc(bytes.length + 3 + 32);
    file.set(bytes, 3);
    expect(decodeTrainingState(file.subarray(3, 3 + bytes.length)).state).toEqual(sample());
  });

  it('refuses format 1, which did not record the thread count, saying why', () => {
    const bytes = encodeTrainingState(sample());
    new DataView(bytes.buffer).setUint32(8, 1, true);
    expect(errorOf(bytes).message).toBe(
      'training state format 1; this version of @mnist/train reads format 2 (format 1 did not record the ' +
        'thread count the run trained on, so it cannot resume exactly; start the run again)',
    );
  });

  it('refuses every truncation, and fields of the wrong type, as damaged', () => {
    const bytes = encodeTrainingState(sample(), { note: 'x' });
    for (let cut = 0; cut < bytes.length; cut++) {
      expect(errorOf(bytes.subarray(0, cut)).message).toMatch(/^damaged or not a training state \(/);
    }
    const broken = { ...sample(), threads: 'two' } as unknown as TrainingState;
    expect(errorOf(encodeTrainingState(broken)).message).toBe(
      'damaged or not a training state (threads is not a whole number)',
    );
    expect(errorOf(new TextEncoder().encode('{"not": "a state"}')).message).toBe(
      'damaged or not a training state (bad magic)',
    );
  });
});
