import { IMAGE_SIZE, NUM_CLASSES } from '@mnist/core';
import { initializers, type LayersModel, layers, sequential } from '@tensorflow/tfjs-layers';
import type { ModelConfigInput } from './model-types.js';
import { ModelConfigError } from './model-config-error.js';
import { resolveModelConfig } from './resolve-model-config.js';

/** Options of `createModel` that are not part of the architecture. */
export interface CreateModelOptions {
  /**
   * Seed of the weight initializers: the same seed and config give the same initial weights. Each
   * layer derives its own seed from it so layers do not share a random stream. Without a seed the
   * weights are random. Dropout masks are never seeded: TensorFlow.js would redraw the same mask
   * from a fixed seed at every step.
   */
  seed?: number;
}

/**
 * Builds the MNIST CNN described by `config` (missing fields take `DEFAULT_MODEL_CONFIG`), uncompiled.
 *
 * Input: `[n, 28, 28, 1]` float32 pixels in [0, 1]; output: `[n, 10]` softmax probabilities. When
 * `inputNormalization` is set the first layer, `normalize`, computes `(x - mean) / std` as the
 * built-in `Rescaling` layer (`scale = 1/std`, `offset = -mean/std`), so saved models load with plain
 * `tf.loadLayersModel` and no custom class. Layer names are stable: `normalize`, `conv1`.. (`bn1`,
 * `relu1`.. with batch norm), `pool1`.., `dropout_conv`, `flatten`, `dense`, `dropout_dense`, `output`.
 *
 * @throws ModelConfigError if the config or the seed is invalid; nothing is allocated then.
 */
export function createModel(config?: ModelConfigInput, options: CreateModelOptions = {}): LayersModel {
  const resolved = resolveModelConfig(config);
  const { seed } = options;
  if (seed !== undefined && (typeof seed !== 'number' || !Number.isFinite(seed))) {
    throw new ModelConfigError(`createModel option "seed" must be a finite number; got ${String(seed)}`);
  }
  let nextSeed = seed;
  // One seed per initializer, derived in a fixed order so the same seed rebuilds the same weights.
  const seeded = () => {
    if (nextSeed === undefined) return undefined;
    const value = nextSeed;
    nextSeed += 1;
    return value;
  };
  const heNormal = () => initializers.heNormal({ seed: seeded() });

  const model = sequential({ name: 'mnist_cnn' });
  const inputShape = [IMAGE_SIZE, IMAGE_SIZE, 1];
  let first = true;
  const takeInputShape = () => {
    if (!first) return {};
    first = false;
    return { inputShape };
  };

  if (resolved.inputNormalization !== null) {
    const { mean, std } = resolved.inputNormalization;
    model.add(
      layers.rescaling({ ...takeInputShape(), name: 'normalize', scale: 1 / std, offset: -mean / std }),
    );
  }
  for (let index = 0; index < resolved.convLayers; index++) {
    const n = index + 1;
    const filters = Array.isArray(resolved.filters) ? resolved.filters[index]! : resolved.filters;
    model.add(
      layers.conv2d({
        ...takeInputShape(),
        name: `conv${n}`,
        filters,
        kernelSize: resolved.kernelSize,
        padding: 'same',
        // With batch norm the bias is redundant (BN's beta shifts the same way) and ReLU comes after BN.
        activation: resolved.batchNorm ? 'linear' : 'relu',
        useBias: !resolved.batchNorm,
        kernelInitializer: heNormal(),
      }),
    );
    if (resolved.batchNorm) {
      model.add(layers.batchNormalization({ name: `bn${n}` }));
      model.add(layers.activation({ name: `relu${n}`, activation: 'relu' }));
    }
    if (resolved.poolAfter.includes(index)) {
      model.add(layers.maxPooling2d({ name: `pool${n}`, poolSize: 2, strides: 2 }));
    }
  }
  if (resolved.dropout > 0) model.add(layers.dropout({ name: 'dropout_conv', rate: resolved.dropout }));
  model.add(layers.flatten({ name: 'flatten' }));
  if (resolved.denseUnits > 0) {
    model.add(
      layers.dense({
        name: 'dense',
        units: resolved.denseUnits,
        activation: 'relu',
        kernelInitializer: heNormal(),
      }),
    );
    if (resolved.dropout > 0) model.add(layers.dropout({ name: 'dropout_dense', rate: resolved.dropout }));
  }
  model.add(
    layers.dense({
      name: 'output',
      units: NUM_CLASSES,
      activation: 'softmax',
      kernelInitializer: initializers.glorotUniform({ seed: seeded() }),
    }),
  );
  return model;
}
