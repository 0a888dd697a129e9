import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setKernelBuild } from './simd-kernels.js';
import { gemmOnTensors, kernelBuilds, prepareBackends, randomValues, useBuild } from './test-support.js';

beforeAll(prepareBackends);
afterAll(() => setKernelBuild('auto'));

interface Case {
  x: [number, number, number, number];
  filter: [number, number, number, number];
  strides: number;
  pad: 'same' | 'valid';
}

/** im2col(x) of an NHWC convolution, [positions, fh*fw*C] in filter order, zeros outside x. */
function im2col(
  { x, filter, strides, pad }: Case,
  values: Float32Array,
  outH: number,
  outW: number,
): Float32Array {
  const [batch, h, w, c] = x;
  const [fh, fw] = filter;
  const padTop = pad === 'same' ? Math.max(0, (outH - 1) * strides + fh - h) >> 1 : 0;
  const padLeft = pad === 'same' ? Math.max(0, (outW - 1) * strides + fw - w) >> 1 : 0;
  const k = fh * fw * c;
  const rows = new Float32Array(batch * outH * outW * k);
  for (let n = 0; n < batch; n++)
    for (let r = 0; r < outH; r++)
      for (let col = 0; col < outW; col++) {
        const row = ((n * outH + r) * outW + col) * k;
        for (let a = 0; a < fh; a++)
          for (let b = 0; b < fw; b++) {
            const y = r * strides + a - padTop;
            const xx = col * strides + b - padLeft;
            if (y < 0 || y >= h || xx < 0 || xx >= w) continue;
            for (let ch = 0; ch < c; ch++)
              rows[row + (a * fw + b) * c + ch] = values[((n * h + y) * w + xx) * c + ch] as number;
          }
      }
  return rows;
}

const bitsOf = (t: tf.Tensor) => new Uint32Array((t.dataSync() as Float32Array).slice().buffer);

describe.each(kernelBuilds)(
  'convolutions read x in place (32 channels or more) or copy im2col rows, %s build',
  (build) => {
    // One k block and several (K = 288, 576), strides 1 and 2, both paddings, output channels that
    // end a panel early, positions that end in a partial tile of every height (1 to 5 rows of 6).
    it.each<Case>([
      { x: [2, 14, 14, 16], filter: [3, 3, 16, 32], strides: 1, pad: 'same' },
      { x: [3, 7, 7, 32], filter: [3, 3, 32, 64], strides: 1, pad: 'same' },
      { x: [1, 9, 11, 64], filter: [3, 3, 64, 10], strides: 1, pad: 'valid' },
      { x: [2, 13, 9, 32], filter: [3, 3, 32, 12], strides: 2, pad: 'same' },
      { x: [1, 5, 5, 48], filter: [2, 2, 48, 7], strides: 1, pad: 'same' },
      { x: [1, 5, 7, 32], filter: [3, 3, 32, 9], strides: 1, pad: 'same' },
      { x: [2, 13, 9, 8], filter: [3, 3, 8, 12], strides: 2, pad: 'same' },
    ])('with the bits of the GEMM over im2col rows: x $x, filter $filter, strides $strides, $pad', (c) => {
      useBuild(build);
      const xv = randomValues(c.x, 61);
      const wv = randomValues(c.filter, 62);
      const y = tf.conv2d(tf.tensor4d(xv, c.x), tf.tensor4d(wv, c.filter), c.strides, c.pad);
      const [, outH, outW, outC] = y.shape;
      const m = c.x[0] * outH * outW;
      const k = c.filter[0] * c.filter[1] * c.filter[2];
      const a = tf.tensor1d(im2col(c, xv, outH, outW));
      const b = tf.tensor1d(wv);
      const expected = tf.zeros([m * outC]);
      gemmOnTensors({ m, n: outC, k }, { a, b, c: expected }, false, false, false);
      expect(bitsOf(y)).toEqual(bitsOf(expected));
      tf.dispose([y, a, b, expected]);
    });
  },
);
