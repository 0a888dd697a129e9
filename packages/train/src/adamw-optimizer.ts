import {
  AdamOptimizer,
  engine,
  getBackend,
  getKernel,
  mul,
  type Tensor,
  tidy,
  type Variable,
  zerosLike,
} from '@tensorflow/tfjs-core';

type VariableGradients = Parameters<AdamOptimizer['applyGradients']>[0];

/**
 * The fused Adam kernel `@mnist/wasm-kernels` registers for the `wasm` backend: inputs
 * `{ value, m, v, gradient }`, attributes `{ beta1, beta2, epsilon, learningRate, oneMinusAccBeta1,
 * oneMinusAccBeta2, weightDecay }`, outputs the new `[value, m, v]` with the bits of tfjs's ops
 * (and of the decay below).
 */
const ADAM_UPDATE = 'AdamUpdate';

/** Adam's state as tfjs keeps it (protected or private there): what the fused step updates. */
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
 * tfjs's Adam (beta1 0.9, beta2 0.999, the backend's epsilon, as `train.adam` makes it) with
 * decoupled weight decay as `torch.optim.AdamW`: before the Adam update, every weight that has a
 * gradient is multiplied by `1 - learningRate * weightDecay`, with the rate of this step. The one
 * optimizer step of a run, whether its gradients came from this thread or from the gradient
 * threads, goes through `applyGradients`, so the decay sits here once. With `weightDecay` 0 it is
 * tfjs's Adam to the bit (no extra op runs).
 *
 * Where the active backend has the fused `AdamUpdate` kernel (`wasm` with `@mnist/wasm-kernels`),
 * each variable's decay and update is that one kernel instead of tfjs's 14 elementwise ops (15
 * with the decay): the same float32 operations in the same order, so the same bits, in one pass
 * over the memory. The optimizer's state (moments, beta powers, iterations) is kept exactly where
 * tfjs keeps it, so `getWeights`, `setWeights` and checkpoints see no difference. Internal.
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
    if (getKernel(ADAM_UPDATE, getBackend()) !== undefined) {
      this.applyFused(gradients);
      return;
    }
    if (this.weightDecay > 0) {
      // torch: param.mul_(1 - lr * weight_decay), in float32 as the weights are.
      const keep = 1 - this.learningRate * this.weightDecay;
      tidy(() => {
        for (const { name, tensor } of gradients) {
          if (tensor == null) continue;
          const variable = engine().registeredVariables[name]!;
          variable.assign(mul(variable, keep));
        }
      });
    }
    super.applyGradients(variableGradients);
  }

  /** `applyGradients` of tfjs's Adam (and the decay above) with one `AdamUpdate` per variable. */
  private applyFused(gradients: { name: string; tensor: Tensor | null | undefined }[]): void {
    const self = this as unknown as AdamInternals;
    tidy(() => {
      // tfjs: sub(1, accBeta), a float32 subtraction; in float64 and rounded to float32 it is the
      // same number (one correctly rounded operation).
      const oneMinusAccBeta1 = Math.fround(1 - self.accBeta1.dataSync()[0]!);
      const oneMinusAccBeta2 = Math.fround(1 - self.accBeta2.dataSync()[0]!);
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
        const [newValue, newM, newV] = engine().runKernel(
          ADAM_UPDATE,
          { value, m, v, gradient },
          {
            beta1: self.beta1,
            beta2: self.beta2,
            epsilon: self.epsilon,
            learningRate: this.learningRate,
            oneMinusAccBeta1,
            oneMinusAccBeta2,
            weightDecay: this.weightDecay,
          },
        ) as Tensor[];
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
