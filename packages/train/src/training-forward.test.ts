import { createModel, DEFAULT_MODEL_CONFIG } from '@mnist/model';
import { selectBackend } from '@mnist/runtime';
import {
  dispose,
  memory,
  oneHot,
  profile,
  type Scalar,
  type Tensor,
  tensor1d,
  tensor2d,
  tensor4d,
  variableGrads,
  type Variable,
} from '@tensorflow/tfjs-core';
import { type LayersModel, layers, sequential } from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { meanCrossEntropy } from './batch-statistics.js';
import { createDropoutSeeder } from './dropout-seeder.js';
import { createTrainingForward } from './training-forward.js';

/** `count` images of LCG noise in [0, 1) and their labels, one-hot. */
function noiseBatch(count: number, seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const pixels = Float32Array.from({ length: count * 28 * 28 }, next);
  const labels = Int32Array.from({ length: count }, () => Math.floor(next() * 10));
  return { xs: tensor4d(pixels, [count, 28, 28, 1]), ys: oneHot(tensor1d(labels, 'int32'), 10) };
}

/** Loss and gradients (as raw bits) of `forward` on a batch, dropout seeded as at one training step. */
function lossAndGradientBits(
  model: LayersModel,
  forward: (xs: Tensor) => Tensor,
  xs: Tensor,
  ys: Tensor,
): Uint32Array[] {
  createDropoutSeeder(model).seedStep(42, 1, 3);
  const variables = model.trainableWeights.map((weight) => weight.read() as Variable);
  const { value, grads } = variableGrads(() => meanCrossEntropy(forward(xs), ys) as Scalar, variables);
  const bits = [value, ...variables.map((v) => grads[v.name]!)].map(
    (t) => new Uint32Array((t.dataSync() as Float32Array).slice().buffer),
  );
  dispose([value, ...Object.values(grads)]);
  return bits;
}

describe.each(['cpu', 'wasm'])('createTrainingForward on %s', (backend) => {
  const use = () => selectBackend(backend as 'cpu' | 'wasm');

  it.each([
    ['the default model', DEFAULT_MODEL_CONFIG],
    // 'same' padding, a conv after a pool, and a first layer without an input gradient.
    [
      'a model with input normalization',
      { ...DEFAULT_MODEL_CONFIG, inputNormalization: { mean: 0.13, std: 0.31 } },
    ],
  ])(
    'gives the loss and gradients of model.apply, to the bit, for %s',
    { timeout: 60_000 },
    async (_name, config) => {
      await use();
      const model = createModel(config, { seed: 7 });
      // The cpu backend's convolutions are slow: a small batch there.
      const { xs, ys } = noiseBatch(backend === 'cpu' ? 3 : 12, 5);
      const unfused = lossAndGradientBits(model, (x) => model.apply(x, { training: true }) as Tensor, xs, ys);
      const fused = lossAndGradientBits(model, createTrainingForward(model), xs, ys);
      expect(fused.length).toBe(unfused.length);
      fused.forEach((bits, i) => {
        expect(Buffer.from(bits.buffer).equals(Buffer.from(unfused[i]!.buffer)), `tensor ${i}`).toBe(true);
      });
      dispose([xs, ys]);
      model.dispose();
    },
  );

  it('runs each conv layer as one FusedConv2D and its pool’s gradient with the ReLU’s', async () => {
    await use();
    const model = createModel(DEFAULT_MODEL_CONFIG, { seed: 7 });
    const forward = createTrainingForward(model);
    const { xs, ys } = noiseBatch(4, 1);
    const variables = model.trainableWeights.map((weight) => weight.read() as Variable);
    createDropoutSeeder(model).seedStep(42, 0, 0);
    const info = await profile(() => {
      const { value, grads } = variableGrads(() => meanCrossEntropy(forward(xs), ys) as Scalar, variables);
      dispose([value, ...Object.values(grads)]);
    });
    const count = (name: string) => info.kernels.filter((kernel) => kernel.name === name).length;
    expect(count('FusedConv2D')).toBe(3);
    expect(count('Conv2D')).toBe(0);
    // conv1's input is the batch: only conv2 and conv3 compute an input gradient.
    expect(count('Conv2DBackpropInput')).toBe(2);
    expect(count('Conv2DBackpropFilter')).toBe(3);
    // The dense layer's ReLU is the only one tfjs-layers still applies.
    expect(count('Relu')).toBe(1);
    // Each pool's gradient and its conv's ReLU gradient: one pass on wasm, two kernels elsewhere.
    expect(count('MaxPoolReluGrad')).toBe(backend === 'wasm' ? 3 : 0);
    expect(count('MaxPoolGrad')).toBe(backend === 'wasm' ? 0 : 3);
    // The two seeded dropout layers: one kernel each on wasm, tfjs's five ops each elsewhere.
    expect(count('SeededDropout')).toBe(backend === 'wasm' ? 2 : 0);
    expect(count('Floor')).toBe(backend === 'wasm' ? 0 : 2);
    dispose([xs, ys]);
    model.dispose();
  });

  it('leaves no tensor behind over many steps', { timeout: 60_000 }, async () => {
    await use();
    const model = createModel(DEFAULT_MODEL_CONFIG, { seed: 3 });
    const forward = createTrainingForward(model);
    const { xs, ys } = noiseBatch(2, 2);
    const variables = model.trainableWeights.map((weight) => weight.read() as Variable);
    const seeder = createDropoutSeeder(model);
    let batch = 0;
    const step = () => {
      seeder.seedStep(42, 0, batch++);
      const { value, grads } = variableGrads(() => meanCrossEntropy(forward(xs), ys) as Scalar, variables);
      dispose([value, ...Object.values(grads)]);
    };
    step();
    const before = memory().numTensors;
    for (let i = 0; i < (backend === 'cpu' ? 3 : 20); i++) step();
    expect(memory().numTensors).toBe(before);
    dispose([xs, ys]);
    model.dispose();
  });

  it('falls back to model.apply for a conv layer it does not fuse (tanh), with the same bits', async () => {
    await use();
    const model = sequential({
      layers: [
        layers.conv2d({ inputShape: [28, 28, 1], filters: 8, kernelSize: 3, activation: 'tanh' }),
        layers.flatten(),
        layers.dense({ units: 10, activation: 'softmax' }),
      ],
    });
    const forward = createTrainingForward(model);
    const { xs, ys } = noiseBatch(3, 9);
    const unfused = lossAndGradientBits(model, (x) => model.apply(x, { training: true }) as Tensor, xs, ys);
    const planned = lossAndGradientBits(model, forward, xs, ys);
    planned.forEach((bits, i) => {
      expect(Buffer.from(bits.buffer).equals(Buffer.from(unfused[i]!.buffer)), `tensor ${i}`).toBe(true);
    });
    const variables = model.trainableWeights.map((weight) => weight.read() as Variable);
    const info = await profile(() => {
      const { value, grads } = variableGrads(() => meanCrossEntropy(forward(xs), ys) as Scalar, variables);
      dispose([value, ...Object.values(grads)]);
    });
    expect(info.kernelNames).toContain('Tanh');
    dispose([xs, ys]);
    model.dispose();
  });

  it('runs a dropout layer without a seed as tfjs-layers does (from Math.random)', async () => {
    await use();
    const model = sequential({
      layers: [
        layers.dropout({ inputShape: [64], rate: 0.5 }),
        layers.dense({ units: 10, activation: 'softmax' }),
      ],
    });
    const forward = createTrainingForward(model);
    const xs = tensor2d(new Float32Array(2 * 64).fill(1), [2, 64]);
    const info = await profile(() => dispose(forward(xs)));
    expect(info.kernelNames).not.toContain('SeededDropout');
    expect(info.kernelNames).toContain('Floor');
    dispose(xs);
    model.dispose();
  });
});
