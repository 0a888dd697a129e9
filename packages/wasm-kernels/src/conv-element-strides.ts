import type { backend_util } from '@tensorflow/tfjs-core';

/** Element strides of one tensor along [batch, row, column, channel], in its own memory layout. */
export type ElementStrides = [batch: number, row: number, column: number, channel: number];

/**
 * Element strides of a convolution's input `x` and output gradient `dy` in the layout the conv
 * info names (NHWC or NCHW), so the direct fallback loops of both gradients index either layout
 * the same way. Internal.
 */
export function convElementStrides(info: backend_util.Conv2DInfo): { x: ElementStrides; dy: ElementStrides } {
  const { inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = info;
  return info.dataFormat === 'channelsLast'
    ? {
        x: [inHeight * inWidth * inChannels, inWidth * inChannels, inChannels, 1],
        dy: [outHeight * outWidth * outChannels, outWidth * outChannels, outChannels, 1],
      }
    : {
        x: [inChannels * inHeight * inWidth, inWidth, 1, inHeight * inWidth],
        dy: [outChannels * outHeight * outWidth, outWidth, 1, outHeight * outWidth],
      };
}
