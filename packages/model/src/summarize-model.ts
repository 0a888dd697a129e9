import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { ModelSummary } from './model-types.js';

type Shape = (number | null)[];

/**
 * Size of a model: trainable parameters and the cost of classifying one image.
 *
 * `flopsPerImage` counts multiply-accumulates (MACs) of the conv and dense layers, one MAC = one
 * FLOP: a conv layer costs `outHeight * outWidth * outChannels * kernelHeight * kernelWidth *
 * inChannels`, a dense layer `inputs * units`. Tools that count the multiply and the add apart
 * report twice this number. Biases, activations, pooling, batch norm and normalization are left
 * out (about 2% more for the default model). Parameters are trainable weights only (batch-norm
 * moving statistics are not counted), per layer and in total.
 */
export function summarizeModel(model: LayersModel): ModelSummary {
  let flopsPerImage = 0;
  const summary: ModelSummary['layers'] = model.layers.map((layer) => {
    const className = layer.getClassName();
    const outputShape = firstShape(layer.outputShape);
    const parameters = layer.trainableWeights.reduce((sum, weight) => sum + product(weight.shape), 0);
    if (className === 'Conv2D') {
      // Kernel is [kh, kw, inChannels, outChannels]; read it from the weight so any config is right.
      const [kh, kw, inChannels] = layer.weights[0]?.shape ?? [];
      const [, height, width, channels] = outputShape;
      flopsPerImage += product([height, width, channels, kh, kw, inChannels]);
    } else if (className === 'Dense') {
      const [inputs, units] = layer.weights[0]?.shape ?? [];
      flopsPerImage += product([inputs, units]);
    }
    return { name: layer.name, className, outputShape, parameters };
  });
  const parameters = model.trainableWeights.reduce((sum, weight) => sum + product(weight.shape), 0);
  return { parameters, flopsPerImage, layers: summary };
}

function firstShape(shape: Shape | Shape[]): Shape {
  return Array.isArray(shape[0]) ? [...(shape[0] as Shape)] : [...(shape as Shape)];
}

/** Product of the dimensions; an unknown (null) or missing dimension counts as 0. */
function product(shape: readonly (number | null | undefined)[]): number {
  return shape.reduce<number>((a, b) => a * (b ?? 0), 1);
}
