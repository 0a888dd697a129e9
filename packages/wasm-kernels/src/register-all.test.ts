import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adamUpdateConfig } from './adam-update.js';
import { addConfig } from './add.js';
import { batchMatMulConfig } from './batch-mat-mul.js';
import { fusedBatchNormConfig } from './batch-norm.js';
import { castConfig } from './cast.js';
import { conv2DConfig } from './conv2d.js';
import { conv2DBackpropFilterConfig } from './conv2d-backprop-filter.js';
import { conv2DBackpropInputConfig } from './conv2d-backprop-input.js';
import { floorConfig } from './floor.js';
import { fusedConv2DConfig } from './fused-conv2d.js';
import { fusedMatMulConfig } from './fused-mat-mul.js';
import { identityConfig } from './identity.js';
import { maxPoolConfig } from './max-pool.js';
import { maxPoolGradConfig, maxPoolReluGradConfig } from './max-pool-grad.js';
import { meanConfig } from './mean.js';
import { registerWasmTrainingKernels, wasmTrainingKernelConfigs } from './register-all.js';
import { multiplyConfig } from './multiply.js';
import { reluConfig } from './relu.js';
import { reluGradConfig, reluGradientConfig } from './relu-grad.js';
import { scaledAddConfig } from './scaled-add.js';
import { seededDropoutConfig } from './seeded-dropout.js';
import { setKernelBuild } from './simd-kernels.js';
import { sumConfig } from './sum.js';
import { tileConfig } from './tile.js';
import { kernelBuilds, prepareBackends, randomValues, useBuild } from './test-support.js';

beforeAll(prepareBackends);
afterAll(() => setKernelBuild('auto'));

/** A small CNN through every kernel; with a seed, seeded weights and no (unseedable) dropout. */
function smallCnn(seed?: number): tfl.LayersModel {
  const init = (offset: number) =>
    seed === undefined ? {} : { kernelInitializer: tfl.initializers.glorotUniform({ seed: seed + offset }) };
  const model = tfl.sequential({
    layers: [
      tfl.layers.conv2d({
        inputShape: [12, 12, 1],
        filters: 8,
        kernelSize: 3,
        activation: 'relu',
        ...init(0),
      }),
      // Bias-free and linear before batch normalization: FusedConv2D, then Mean and Tile.
      tfl.layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same', useBias: false, ...init(1) }),
      tfl.layers.batchNormalization(),
      tfl.layers.activation({ activation: 'relu' }),
      tfl.layers.maxPooling2d({ poolSize: 2 }),
      tfl.layers.conv2d({
        filters: 4,
        kernelSize: 3,
        strides: 2,
        padding: 'same',
        activation: 'relu',
        ...init(2),
      }),
      ...(seed === undefined ? [tfl.layers.dropout({ rate: 0.25 })] : []),
      tfl.layers.flatten(),
      tfl.layers.dense({ units: 10, activation: 'softmax', ...init(3) }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy' });
  return model;
}

/** Size of the WASM heap: it only grows, so a leak inside the module shows up here. */
function heapBytes(backend: BackendWasm): number {
  return (backend.wasm as unknown as { HEAPU8: Uint8Array }).HEAPU8.byteLength;
}

describe('registerWasmTrainingKernels', () => {
  it('installs every kernel for wasm, replacing the stock ones, and is idempotent', () => {
    registerWasmTrainingKernels();
    registerWasmTrainingKernels();
    expect(wasmTrainingKernelConfigs).toHaveLength(23);
    for (const config of [
      conv2DConfig,
      fusedConv2DConfig,
      conv2DBackpropFilterConfig,
      conv2DBackpropInputConfig,
      maxPoolConfig,
      maxPoolGradConfig,
      batchMatMulConfig,
      fusedMatMulConfig,
      sumConfig,
      meanConfig,
      tileConfig,
      fusedBatchNormConfig,
      addConfig,
      multiplyConfig,
      reluConfig,
      floorConfig,
      identityConfig,
      castConfig,
      adamUpdateConfig,
      scaledAddConfig,
      reluGradConfig,
      maxPoolReluGradConfig,
      seededDropoutConfig,
    ]) {
      expect(tf.getKernel(config.kernelName, 'wasm')?.kernelFunc).toBe(config.kernelFunc);
    }
    expect(tf.getGradient('Relu')).toBe(reluGradientConfig);
  });

  it.each(kernelBuilds)(
    'trains a small CNN on wasm (%s build) with flat tensor count, bytes, data ids and heap',
    async (build) => {
      useBuild(build);
      expect(tf.getBackend()).toBe('wasm');
      const backend = tf.backend() as BackendWasm;
      const model = smallCnn();
      const xs = tf.tensor4d(randomValues([16, 12, 12, 1], 31), [16, 12, 12, 1]);
      const ys = tf.oneHot(tf.tensor1d([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5], 'int32'), 10);
      const firstLoss = (await model.trainOnBatch(xs, ys)) as number;
      for (let i = 0; i < 2; i++) await model.trainOnBatch(xs, ys);
      const before = { ...tf.memory(), ids: backend.numDataIds(), heap: heapBytes(backend) };

      let loss = firstLoss;
      for (let i = 0; i < 30; i++) loss = (await model.trainOnBatch(xs, ys)) as number;

      const after = tf.memory();
      expect(after.numTensors).toBe(before.numTensors);
      expect(after.numBytes).toBe(before.numBytes);
      expect(backend.numDataIds()).toBe(before.ids);
      expect(heapBytes(backend)).toBe(before.heap);
      // The gradients are real: 33 Adam steps on one fixed batch drive its loss down.
      expect(loss).toBeLessThan(firstLoss * 0.5);

      model.dispose();
      tf.dispose([xs, ys]);
    },
  );

  it.each(kernelBuilds)('gives the same weights to the bit for the same seed (%s build)', async (build) => {
    useBuild(build);
    const xs = tf.tensor4d(randomValues([8, 12, 12, 1], 32), [8, 12, 12, 1]);
    const ys = tf.oneHot(tf.tensor1d([0, 1, 2, 3, 4, 5, 6, 7], 'int32'), 10);
    const trained = async () => {
      const model = smallCnn(7);
      for (let i = 0; i < 5; i++) await model.trainOnBatch(xs, ys);
      const weights = model
        .getWeights()
        .map((w) => new Uint32Array((w.dataSync() as Float32Array).slice().buffer));
      model.dispose();
      return weights;
    };
    const first = await trained();
    const second = await trained();
    expect(second).toEqual(first);
    tf.dispose([xs, ys]);
  });
});

describe('kernel binaries', () => {
  it('match a rebuild from scripts/kernels-wat.mjs', () => {
    const script = fileURLToPath(new URL('../scripts/build-wasm.mjs', import.meta.url));
    // Throws (with the script's message) when the committed file differs from a rebuild.
    expect(execFileSync(process.execPath, [script, '--check'], { encoding: 'utf8' })).toContain('match');
  });
});
