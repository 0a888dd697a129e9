import { add, engine, getBackend, getKernel, mul, type Tensor, tensor } from '@tensorflow/tfjs-core';

/**
 * The weighted sum kernel `@mnist/wasm-kernels` registers for the `wasm` backend: inputs `{ a, b }`,
 * attributes `{ alpha, beta }`, output `a * alpha + b * beta` with the bits of tfjs's
 * `add(mul(a, alpha), mul(b, beta))`, in one pass.
 */
const SCALED_ADD = 'ScaledAdd';

/**
 * One variable's gradient of the whole batch from its slices' mean gradients: `own` (this thread's
 * slice) and `fromThreads` (each helper thread's, read from shared memory), each weighted by its
 * share of the batch's rows, `weights[0]` for `own`:
 * `((own * w0 + t1 * w1) + t2 * w2) + ...`, float32 products and sums in that order. On a backend
 * with the `ScaledAdd` kernel each term is one pass of it (`x * 1` is exact, so chaining it gives
 * the same bits); elsewhere tfjs's `mul` and `add`. Call it inside a `tidy`. Internal.
 */
export function weightedGradient(
  own: Tensor,
  fromThreads: Float32Array[],
  weights: number[],
  shape: number[],
): Tensor {
  const fused = getKernel(SCALED_ADD, getBackend()) !== undefined;
  let gradient: Tensor | null = fused ? null : mul(own, weights[0]!);
  fromThreads.forEach((values, k) => {
    const fromThread = tensor(values, shape);
    const weight = weights[k + 1]!;
    if (!fused) {
      gradient = add(gradient!, mul(fromThread, weight));
      return;
    }
    const [a, alpha] = gradient === null ? [own, weights[0]!] : [gradient, 1];
    gradient = engine().runKernel(SCALED_ADD, { a, b: fromThread }, { alpha, beta: weight }) as Tensor;
  });
  return gradient ?? mul(own, weights[0]!);
}
