import type { Tensor, Tensor1D, Tensor4D } from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { conv2dBiasRelu, type MaxPoolAttrs } from './conv2d-bias-relu.js';
import { seededDropout } from './seeded-dropout.js';

/** The model's forward pass in training mode (dropout on), to run inside a gradient scope. */
export type TrainingForward = (xs: Tensor) => Tensor;

interface LayerLike {
  getClassName(): string;
  getConfig(): Record<string, unknown>;
  apply(inputs: Tensor, kwargs: { training: boolean }): unknown;
  readonly weights: { read(): Tensor }[];
  readonly trainableWeights: unknown[];
}

type Stage = (x: Tensor) => Tensor;

/**
 * The training forward pass of `model`: `model.apply(xs, { training: true })`, except that in a
 * `Sequential` model every `Conv2D` layer with a bias and a ReLU (NHWC, dilation 1) runs as one
 * fused op with its own gradient (`conv2dBiasRelu`) instead of tfjs-core's three taped kernels,
 * together with the `MaxPooling2D` layer after it if there is one. The same bits as `model.apply`
 * (the tests compare loss and gradients); the gain is the passes over each conv output that the
 * fused kernels save: the bias add and ReLU run in the GEMM's blocks, the ReLU's gradient in the
 * max pool's. A seeded `Dropout` layer (the training loop seeds them at every step) runs as
 * `seededDropout`, the same mask drawn in one pass. Other models, and every other layer, run as
 * tfjs-layers runs them. Planned once per
 * model (its layers, not their weights). `train` runs it; a loop of your own can call it inside
 * `variableGrads` or `optimizer.minimize` where it would call `model.apply(xs, { training: true })`.
 */
export function createTrainingForward(model: LayersModel): TrainingForward {
  const apply: TrainingForward = (xs) => model.apply(xs, { training: true }) as Tensor;
  if (model.getClassName() !== 'Sequential') return apply;
  const layers = (model.layers as unknown as LayerLike[]).filter(
    (layer) => layer.getClassName() !== 'InputLayer',
  );
  const stages: Stage[] = [];
  // Only a layer with trainable weights before it needs this layer's input gradient.
  let trainableBefore = false;
  for (let index = 0; index < layers.length; index++) {
    const layer = layers[index]!;
    const next = layers[index + 1];
    const pool = next === undefined ? undefined : maxPoolAttrs(next);
    const fused = fusedConvStage(layer, trainableBefore, pool);
    if (fused !== undefined) {
      stages.push(fused);
      // The pool is part of the stage (and has no weights).
      if (pool !== undefined) index++;
    } else {
      stages.push(dropoutStage(layer) ?? ((x) => layer.apply(x, { training: true }) as Tensor));
    }
    trainableBefore ||= layer.trainableWeights.length > 0;
  }
  return (xs) => stages.reduce((x, stage) => stage(x), xs);
}

/** The fused stage of a `Conv2D` layer with bias and ReLU that the fused op covers, else `undefined`. */
function fusedConvStage(layer: LayerLike, inputGradient: boolean, pool?: MaxPoolAttrs): Stage | undefined {
  if (layer.getClassName() !== 'Conv2D') return undefined;
  const config = layer.getConfig();
  const strides = pair(config.strides);
  const dilations = pair(config.dilationRate ?? 1);
  const padding = config.padding;
  if (
    config.activation !== 'relu' ||
    config.useBias !== true ||
    (config.dataFormat ?? 'channelsLast') !== 'channelsLast' ||
    strides === undefined ||
    dilations?.[0] !== 1 ||
    dilations[1] !== 1 ||
    (padding !== 'same' && padding !== 'valid') ||
    layer.weights.length !== 2
  ) {
    return undefined;
  }
  const [kernel, bias] = layer.weights as [{ read(): Tensor }, { read(): Tensor }];
  const attrs = { strides, pad: padding as 'same' | 'valid' };
  return (x) =>
    conv2dBiasRelu(
      x as Tensor4D,
      kernel.read() as Tensor4D,
      bias.read() as Tensor1D,
      attrs,
      inputGradient,
      pool,
    );
}

/**
 * The stage of a `Dropout` layer with a rate in (0, 1) and no noise shape: `seededDropout` with the
 * seed the layer has at the time of the call, or the layer itself while it has none (tfjs-layers
 * then draws from `Math.random`). Else `undefined`.
 */
function dropoutStage(layer: LayerLike): Stage | undefined {
  if (layer.getClassName() !== 'Dropout') return undefined;
  const { rate, noiseShape } = layer.getConfig();
  if (typeof rate !== 'number' || !(rate > 0 && rate < 1) || noiseShape != null) return undefined;
  const seeded = layer as LayerLike & { seed?: number };
  return (x) =>
    seeded.seed === undefined
      ? (layer.apply(x, { training: true }) as Tensor)
      : seededDropout(x, rate, seeded.seed);
}

/** The `MaxPool` attributes of a `MaxPooling2D` layer (NHWC), else `undefined`. */
function maxPoolAttrs(layer: LayerLike): MaxPoolAttrs | undefined {
  if (layer.getClassName() !== 'MaxPooling2D') return undefined;
  const config = layer.getConfig();
  const filterSize = pair(config.poolSize);
  // tfjs-layers pools with strides = poolSize when none are given.
  const strides = config.strides == null ? filterSize : pair(config.strides);
  const padding = config.padding;
  if (
    filterSize === undefined ||
    strides === undefined ||
    (config.dataFormat ?? 'channelsLast') !== 'channelsLast' ||
    (padding !== 'same' && padding !== 'valid')
  ) {
    return undefined;
  }
  return { filterSize, strides, pad: padding };
}

/** `[n, n]` of a number, the pair itself of a pair of numbers, else `undefined`. */
function pair(value: unknown): [number, number] | undefined {
  const list = Array.isArray(value) ? value : [value, value];
  return list.length === 2 && list.every((n) => typeof n === 'number')
    ? (list as [number, number])
    : undefined;
}
