import { type TensorInfo, util } from '@tensorflow/tfjs-core';

/** A reduction over a run of leading axes, seen as `rows` rows of `cols` values summed down the columns. */
export interface LeadingAxesReduction {
  rows: number;
  cols: number;
  outShape: number[];
}

/**
 * How `Sum` and `Mean` over `axis` of `x` fit our SIMD column sum: float32, reduced over a run of
 * leading axes but not all of them (the bias gradients; batch normalization's per-channel
 * statistics), rows of a multiple of 4 values; `undefined` for every other reduction, which the
 * stock kernel does. The stock kernels first transpose the reduced axes last, a full copy that
 * made these reductions cost more than some convolutions. Internal.
 */
export function leadingAxesReduction(
  x: TensorInfo,
  axis: number | number[],
  keepDims: boolean,
): LeadingAxesReduction | undefined {
  const axes = [...new Set(util.parseAxisParam(axis, x.shape))].sort((a, b) => a - b);
  const leading = axes.length;
  const cols = util.sizeFromShape(x.shape.slice(leading));
  const fits =
    x.dtype === 'float32' &&
    leading > 0 &&
    leading < x.shape.length &&
    axes.every((a, i) => a === i) &&
    cols % 4 === 0;
  if (!fits) return undefined;
  return {
    rows: util.sizeFromShape(x.shape.slice(0, leading)),
    cols,
    outShape: keepDims ? x.shape.map((d, i) => (i < leading ? 1 : d)) : x.shape.slice(leading),
  };
}
