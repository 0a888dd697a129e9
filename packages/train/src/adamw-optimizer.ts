import {
  AdamOptimizer,
  add,
  div,
  engine,
  getBackend,
  getKernel,
  mul,
  sqrt,
  square,
  type Tensor,
  tidy,
  type Variable,
  zerosLike,
} from '@tensorflow/tfjs-core';
import { AdamUpdate, type AdamUpdateAttrs } from '@mnist/wasm-kernels';

type VariableGradients = Parameters<AdamOptimizer['applyGradients']>[0];

/** Adam's state as tfjs keeps it (protected or private there): what the step updates. */
interface AdamInternals {
  accBeta1: Variable;
  accBeta2: Variable;
  beta1: number;
  beta2: number;
  epsilon: number;
  accumulatedFirstMoment: { originalName: string; variable: Variable }[];
  accumulatedSecondMoment: { originalName: string; variable: Variable }[];
}

/**
 * One variable's update in float32 tfjs ops, in the order the fused `AdamUpdate` of
 * `@mnist/wasm-kernels` computes it: the moments as tfjs's Adam computes them, the corrections
 * folded into the scalars. Each op is one correctly rounded operation on every backend, so the
 * fused kernel and these ops give the same bits.
 */
function adamOps(value: Tensor, m: Tensor, v: Tensor, g: Tensor, s: AdamUpdateAttrs): Tensor[] {
  const decayed = s.valueScale !== 1 ? mul(value, s.valueScale) : value;
  const newM = add(mul(m, s.beta1), mul(g, 1 - s.beta1));
  const newV = add(mul(v, s.beta2), mul(square(g), 1 - s.beta2));
  const denominator = add(mul(sqrt(newV), s.secondMomentScale), s.epsilon);
  return [add(mul(div(newM, denominator), -s.stepSize), decayed), newM, newV];
}

/**
 * Adam (beta1 0.9, beta2 0.999, the backend's epsilon, as `train.adam` makes it) with decoupled
 * weight decay as `torch.optim.AdamW`: before the Adam update, every weight that has a gradient is
 * multiplied by `1 - learningRate * weightDecay`, with the rate of this step. The one optimizer
 * step of a run, whether its gradients came from this thread or from the gradient threads, goes
 * through `applyGradients`, so the decay sits here once.
 *
 * The update is torch's arrangement of Adam: the bias corrections of step t are folded into two
 * scalars, `lr / (1 - beta1^t)` and `1 / sqrt(1 - beta2^t)` after the square root, where tfjs
 * divides m and v by them value by value. The same algorithm, one division and one square root a
 * value instead of three divisions and a square root, which bound the fused kernel's speed; the
 * weights differ from tfjs's Adam in the last bits. The moments have tfjs's bits.
 *
 * Where the active backend has the fused `AdamUpdate` kernel (`wasm` with `@mnist/wasm-kernels`),
 * each variable's decay and update is that one kernel instead of 11 elementwise ops (12 with the
 * decay), with the same bits, in one pass over the memory. The optimizer's state (moments, beta
 * powers, iterations) is kept exactly where tfjs keeps it, so `getWeights`, `setWeights` and
 * checkpoints see no difference. Internal.
 */
export class AdamWOptimizer extends AdamOptimizer {
  constructor(
    learningRate: number,
    private readonly weightDecay: number,
  ) {
    super(learningRate, 0.9, 0.999);
  }

  override applyGradients(variableGradients: VariableGradients): void {
    const gradients: { name: string; tensor: Tensor | null | undefined }[] = Array.isArray(variableGradients)
      ? variableGradients
      : Object.entries(variableGradients).map(([name, tensor]) => ({ name, tensor }));
    const fused = getKernel(AdamUpdate, getBackend()) !== undefined;
    const self = this as unknown as AdamInternals;
    tidy(() => {
      // The beta powers are float32 variables as tfjs keeps them; 1 - beta^t of a float32 is exact
      // in float64, and each scalar is rounded to float32 where it is used.
      const scalars: AdamUpdateAttrs = {
        beta1: self.beta1,
        beta2: self.beta2,
        epsilon: self.epsilon,
        stepSize: this.learningRate / (1 - self.accBeta1.dataSync()[0]!),
        secondMomentScale: 1 / Math.sqrt(1 - self.accBeta2.dataSync()[0]!),
        valueScale: this.weightDecay > 0 ? 1 - this.learningRate * this.weightDecay : 1,
      };
      gradients.forEach(({ name, tensor: gradient }, i) => {
        const value = engine().registeredVariables[name]!;
        // Created as tfjs creates them, in the same order and with the same names.
        self.accumulatedFirstMoment[i] ??= {
          originalName: `${name}/m`,
          variable: tidy(() => zerosLike(value).variable(false)),
        };
        self.accumulatedSecondMoment[i] ??= {
          originalName: `${name}/v`,
          variable: tidy(() => zerosLike(value).variable(false)),
        };
        if (gradient == null) return;
        const m = self.accumulatedFirstMoment[i]!.variable;
        const v = self.accumulatedSecondMoment[i]!.variable;
        const [newValue, newM, newV] = fused
          ? (engine().runKernel(AdamUpdate, { value, m, v, gradient }, { ...scalars }) as Tensor[])
          : adamOps(value, m, v, gradient, scalars);
        m.assign(newM!);
        v.assign(newV!);
        value.assign(newValue!);
      });
      self.accBeta1.assign(mul(self.accBeta1, self.beta1));
      self.accBeta2.assign(mul(self.accBeta2, self.beta2));
    });
    this.incrementIterations();
  }
}
