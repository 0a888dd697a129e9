import {
  cast,
  Conv2DBackpropFilter,
  Conv2DBackpropInput,
  customGrad,
  engine,
  FusedConv2D,
  getBackend,
  getGradient,
  getKernel,
  type GradSaveFunc,
  MaxPool,
  MaxPoolGrad,
  mul,
  Relu,
  step,
  sum,
  type Tensor,
  type Tensor1D,
  type Tensor4D,
} from '@tensorflow/tfjs-core';
import { MaxPoolReluGrad } from '@mnist/wasm-kernels';

/** The attributes of a `Conv2D` layer that the fused op takes (NHWC, dilation 1). */
export interface Conv2DBiasReluAttrs {
  strides: [number, number];
  pad: 'same' | 'valid';
}

/** The attributes of a `MaxPooling2D` layer after the conv (NHWC), as tfjs's `MaxPool` kernel takes them. */
export interface MaxPoolAttrs {
  filterSize: [number, number];
  strides: [number, number];
  pad: 'same' | 'valid';
}

/**
 * `relu(conv2d(x, filter) + bias)` as one `FusedConv2D` kernel call, with its own gradient, for
 * training. tfjs-core's `fused.conv2d` splits into three kernels (convolution, bias add, ReLU)
 * while a gradient is recorded, so every training step wrote and read the conv output three times;
 * this op runs the fused kernel and takes the gradient apart itself, with the very kernels and
 * values the three taped ops would have used:
 * - dz = the registered `Relu` gradient of dy at the output (the mask `output > 0` is the mask
 *   `input > 0` of the unfused ReLU: zero, negative and -0 inputs all come out as 0);
 * - dbias = `sum(dz, [0, 1, 2])`, as the bias add's gradient;
 * - dfilter and dx by `Conv2DBackpropFilter` and `Conv2DBackpropInput`, as the conv's gradient.
 * So training gives the same bits as the unfused layer on every backend. `inputGradient: false`
 * (the first layer, whose input is the batch) records only filter and bias, so the tape does not
 * compute an input gradient nobody reads. With `pool`, the max pool that follows the layer is part
 * of the op, so that its gradient and the ReLU's run as one `MaxPoolReluGrad` pass where the
 * backend has that kernel (`wasm` with `@mnist/wasm-kernels`), and as `MaxPoolGrad` then the ReLU
 * gradient elsewhere; the op then returns the pooled output. Internal.
 */
export function conv2dBiasRelu(
  x: Tensor4D,
  filter: Tensor4D,
  bias: Tensor1D,
  attrs: Conv2DBiasReluAttrs,
  inputGradient: boolean,
  pool?: MaxPoolAttrs,
): Tensor4D {
  const convAttrs = { strides: attrs.strides, pad: attrs.pad, dataFormat: 'NHWC' as const };
  const convolve = (input: Tensor4D, weights: Tensor4D, offsets: Tensor1D) =>
    engine().runKernel(
      FusedConv2D,
      { x: input, filter: weights, bias: offsets },
      { ...convAttrs, dilations: [1, 1], activation: 'relu' },
    ) as Tensor4D;
  const run = (input: Tensor4D, weights: Tensor4D, offsets: Tensor1D, save: GradSaveFunc) => {
    const activation = convolve(input, weights, offsets);
    const output =
      pool === undefined
        ? activation
        : (engine().runKernel(MaxPool, { x: activation }, { ...pool }) as Tensor4D);
    // x too when it is not an input of the node: the forward scope would dispose it otherwise.
    save([input, weights, activation, output]);
    return output;
  };
  const filterAndBiasGradients = (dy: Tensor, saved: Tensor[]) => {
    const [input, weights, activation, output] = saved as [Tensor4D, Tensor4D, Tensor4D, Tensor4D];
    const dz =
      pool === undefined ? reluGradient(dy, activation) : maxPoolReluGradient(dy, activation, output, pool);
    const dFilter = engine().runKernel(
      Conv2DBackpropFilter,
      { x: input, dy: dz },
      { ...convAttrs, filterShape: weights.shape },
    ) as Tensor4D;
    return { input, weights, dz, dFilter, dBias: sum(dz, [0, 1, 2]) as Tensor1D };
  };
  if (!inputGradient) {
    return customGrad((...args: (Tensor | GradSaveFunc)[]) => {
      const [weights, offsets, save] = args as [Tensor4D, Tensor1D, GradSaveFunc];
      return {
        value: run(x, weights, offsets, save),
        gradFunc: (dy: Tensor, saved: Tensor[]) => {
          const { dFilter, dBias } = filterAndBiasGradients(dy, saved);
          return [dFilter, dBias];
        },
      };
    })(filter, bias) as Tensor4D;
  }
  return customGrad((...args: (Tensor | GradSaveFunc)[]) => {
    const [input, weights, offsets, save] = args as [Tensor4D, Tensor4D, Tensor1D, GradSaveFunc];
    return {
      value: run(input, weights, offsets, save),
      gradFunc: (dy: Tensor, saved: Tensor[]) => {
        const {
          input: savedInput,
          weights: savedWeights,
          dz,
          dFilter,
          dBias,
        } = filterAndBiasGradients(dy, saved);
        const dx = engine().runKernel(
          Conv2DBackpropInput,
          { dy: dz, filter: savedWeights },
          { ...convAttrs, inputShape: savedInput.shape },
        ) as Tensor4D;
        return [dx, dFilter, dBias];
      },
    };
  })(x, filter, bias) as Tensor4D;
}

/** dy times the ReLU's step at `output`, by whichever `Relu` gradient is registered. */
function reluGradient(dy: Tensor, output: Tensor): Tensor {
  const registered = getGradient(Relu);
  if (registered === undefined) return mul(dy, cast(step(output), 'float32'));
  return registered.gradFunc(dy, [output], {}).x!();
}

/** The gradient at a ReLU's output `activation` of the max pool of it that gave `output`. */
function maxPoolReluGradient(dy: Tensor, activation: Tensor, output: Tensor, pool: MaxPoolAttrs): Tensor {
  const inputs = { dy, input: activation, output };
  if (getKernel(MaxPoolReluGrad, getBackend()) !== undefined) {
    return engine().runKernel(MaxPoolReluGrad, inputs, { ...pool }) as Tensor;
  }
  return reluGradient(engine().runKernel(MaxPoolGrad, inputs, { ...pool }) as Tensor, activation);
}
