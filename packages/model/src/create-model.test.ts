import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { createModel } from './create-model.js';
import { ModelConfigError } from './model-config-error.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function weightValues(model: LayersModel): Float32Array[] {
  return model.getWeights().map((w) => w.dataSync() as Float32Array);
}

// Byte comparison: vitest's deep equality is slow on 400k-element arrays.
function sameBytes(a: Float32Array, b: Float32Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(
    Buffer.from(b.buffer, b.byteOffset, b.byteLength),
  );
}

describe('createModel', () => {
  it('builds the default CNN with stable, readable layer names', () => {
    const model = createModel();
    expect(model.layers.map((layer) => layer.name)).toEqual([
      'conv1',
      'pool1',
      'conv2',
      'pool2',
      'conv3',
      'pool3',
      'dropout_conv',
      'flatten',
      'dense',
      'dropout_dense',
      'output',
    ]);
    expect(model.inputs[0]!.shape).toEqual([null, 28, 28, 1]);
    expect(model.outputs[0]!.shape).toEqual([null, 10]);
    expect(model.layers.find((l) => l.name === 'flatten')!.outputShape).toEqual([null, 3 * 3 * 64]);
    model.dispose();
  });

  it('adds normalize, batch norm and separate ReLU layers when asked', () => {
    const model = createModel({
      convLayers: 2,
      filters: [4, 8],
      poolAfter: [1],
      batchNorm: true,
      denseUnits: 0,
      dropout: 0,
      inputNormalization: { mean: 0.1307, std: 0.3081 },
    });
    expect(model.layers.map((layer) => `${layer.name}:${layer.getClassName()}`)).toEqual([
      'normalize:Rescaling',
      'conv1:Conv2D',
      'bn1:BatchNormalization',
      'relu1:Activation',
      'conv2:Conv2D',
      'bn2:BatchNormalization',
      'relu2:Activation',
      'pool2:MaxPooling2D',
      'flatten:Flatten',
      'output:Dense',
    ]);
    model.dispose();
  });

  it('standardizes inputs inside the model as (x - mean) / std', () => {
    const model = createModel({ inputNormalization: { mean: 0.25, std: 0.5 } });
    const normalize = model.getLayer('normalize');
    const x = tf.tensor4d([0, 0.25, 0.5, 1], [1, 2, 2, 1]);
    const y = normalize.apply(x) as tf.Tensor;
    expect(Array.from(y.dataSync())).toEqual([-0.5, 0, 0.5, 1.5]);
    tf.dispose([x, y]);
    model.dispose();
  });

  it('gives the same initial weights for the same seed and different ones for another seed', () => {
    const a = createModel(undefined, { seed: 42 });
    const b = createModel(undefined, { seed: 42 });
    const c = createModel(undefined, { seed: 43 });
    const wa = weightValues(a);
    const wb = weightValues(b);
    const wc = weightValues(c);
    expect(wa.length).toBe(10);
    wa.forEach((values, i) => {
      expect(sameBytes(values, wb[i]!)).toBe(true);
    });
    // Kernels differ with the seed (biases start at zero either way).
    expect(sameBytes(wa[0]!, wc[0]!)).toBe(false);
    expect(sameBytes(wa[6]!, wc[6]!)).toBe(false);
    // Layers draw from their own streams: conv2's kernel does not start with conv1's values.
    expect(Array.from(wa[2]!.slice(0, 9))).not.toEqual(Array.from(wa[0]!.slice(0, 9)));
    for (const model of [a, b, c]) model.dispose();
  });

  it('initializes with He-normal scale so activations neither vanish nor explode', () => {
    const model = createModel(undefined, { seed: 7 });
    const kernel = model.getLayer('conv3').getWeights()[0]!;
    const std = tf.tidy(() => tf.sqrt(tf.moments(kernel).variance).dataSync()[0]!);
    // He normal (truncated): std ~ sqrt(2 / fanIn) = sqrt(2 / (3*3*32)) = 0.083 (conv3 sees 32 channels).
    expect(std).toBeGreaterThan(0.06);
    expect(std).toBeLessThan(0.09);
    model.dispose();
  });

  it('rejects a bad config or seed before making any tensor', () => {
    const before = tf.memory().numTensors;
    expect(() => createModel({ poolAfter: [0, 1, 2, 2] })).toThrow(ModelConfigError);
    expect(() => createModel({ kernelSize: 15 })).toThrow(
      'Model config field "kernelSize" is 15 but conv layer 1 sees a 14x14 feature map',
    );
    expect(() => createModel(undefined, { seed: Number.NaN })).toThrow(
      'createModel option "seed" must be a finite number; got NaN',
    );
    expect(tf.memory().numTensors).toBe(before);
  });

  it('frees every weight on dispose', () => {
    const before = tf.memory().numTensors;
    const model = createModel({ batchNorm: true });
    expect(tf.memory().numTensors).toBeGreaterThan(before);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
