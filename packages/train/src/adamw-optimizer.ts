import { AdamOptimizer, engine, mul, type Tensor, tidy } from '@tensorflow/tfjs-core';

type VariableGradients = Parameters<AdamOptimizer['applyGradients']>[0];

/**
 * tfjs's Adam (beta1 0.9, beta2 0.999, the backend's epsilon, as `train.adam` makes it) with
 * decoupled weight decay as `torch.optim.AdamW`: before the Adam update, every weight that has a
 * gradient is multiplied by `1 - learningRate * weightDecay`, with the rate of this step. The one
 * optimizer step of a run, whether its gradients came from this thread or from the gradient
 * threads, goes through `applyGradients`, so the decay sits here once. With `weightDecay` 0 it is
 * tfjs's Adam to the bit (no extra op runs). Internal.
 */
export class AdamWOptimizer extends AdamOptimizer {
  constructor(
    learningRate: number,
    private readonly weightDecay: number,
  ) {
    super(learningRate, 0.9, 0.999);
  }

  override applyGradients(variableGradients: VariableGradients): void {
    if (this.weightDecay > 0) {
      const gradients: { name: string; tensor: Tensor | null | undefined }[] = Array.isArray(
        variableGradients,
      )
        ? variableGradients
        : Object.entries(variableGradients).map(([name, tensor]) => ({ name, tensor }));
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
}
