import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type GemmTileName, gemmTile, setGemmTile, setKernelBuild, simdKernels } from './simd-kernels.js';
import {
  gemmOnTensors,
  kernelBuilds,
  prepareBackends,
  randomValues,
  transposePairs,
  useBuild,
} from './test-support.js';

beforeAll(prepareBackends);
afterEach(() => setGemmTile('auto'));
afterAll(() => setKernelBuild('auto'));

const tiles: GemmTileName[] = ['6x8', '4x8'];

/** The result's float32 bits under each tile. */
function underEachTile(compute: () => tf.Tensor): Uint32Array[] {
  return tiles.map((tile) => {
    setGemmTile(tile);
    const result = tf.tidy(compute);
    const bits = new Uint32Array((result.dataSync() as Float32Array).slice().buffer);
    result.dispose();
    return bits;
  });
}

describe('gemmTile', () => {
  it('is 4x8 on V8 before 13 (Node 22), and after it 6x8 with fma and 4x8 with simd128, unless one is forced', () => {
    const major = Number.parseInt(process.versions.v8, 10);
    for (const build of kernelBuilds) {
      setKernelBuild(build);
      expect(gemmTile()).toBe(major < 13 || build === 'simd128' ? '4x8' : '6x8');
    }
    setKernelBuild('auto');
    setGemmTile('4x8');
    expect(gemmTile()).toBe('4x8');
    expect(simdKernels(tf.backend() as BackendWasm).gemmTileRows).toBe(4);
    setGemmTile('6x8');
    expect(simdKernels(tf.backend() as BackendWasm).gemmTileRows).toBe(6);
  });

  it("picks the tile's own form of the first layer's convolution", () => {
    const forms = tiles.map((tile) => {
      setGemmTile(tile);
      return simdKernels(tf.backend() as BackendWasm).conv_c1_3x3;
    });
    expect(forms[1]).not.toBe(forms[0]);
  });
});

describe.each(kernelBuilds)('both GEMM tiles give the same bits, %s build', (build) => {
  // Edges of both tile heights (1, 5, 7, 13 rows), one k block and several, every packing path.
  it.each([
    [1, 1, 1],
    [5, 9, 3],
    [7, 17, 33],
    [13, 24, 520],
    [130, 64, 300],
  ])('gemm %i x %i x %i, every transpose', (m, n, k) => {
    useBuild(build);
    for (const [tA, tB] of transposePairs) {
      const a = tf.tensor(randomValues([m * k], 31), [m * k]);
      const b = tf.tensor(randomValues([k * n], 32), [k * n]);
      const results = tiles.map((tile) => {
        setGemmTile(tile);
        const c = tf.zeros([m * n]);
        gemmOnTensors({ m, n, k }, { a, b, c }, tA, tB, false);
        const bits = new Uint32Array((c.dataSync() as Float32Array).slice().buffer);
        c.dispose();
        return bits;
      });
      expect(results[1]).toEqual(results[0]);
      tf.dispose([a, b]);
    }
  });

  // The model's convolutions: the one-channel first layer, 16 -> 32 and 32 -> 10 (odd output
  // channels), forward and both gradients.
  it.each([
    { x: [2, 28, 28, 1], w: [3, 3, 1, 16] },
    { x: [2, 14, 14, 16], w: [3, 3, 16, 32] },
    { x: [3, 7, 7, 32], w: [3, 3, 32, 10] },
  ])('conv2d of x $x and filter $w with its gradients', ({ x, w }) => {
    useBuild(build);
    const xv = randomValues(x, 41);
    const wv = randomValues(w, 42);
    const dyv = randomValues([x[0]!, x[1]!, x[2]!, w[3]!], 43);
    const conv = (xt: tf.Tensor, wt: tf.Tensor) => tf.conv2d(xt as tf.Tensor4D, wt as tf.Tensor4D, 1, 'same');
    const forward = underEachTile(() => conv(tf.tensor(xv, x), tf.tensor(wv, w)));
    expect(forward[1]).toEqual(forward[0]);
    const loss = (xt: tf.Tensor, wt: tf.Tensor) =>
      tf.sum(tf.mul(conv(xt, wt), tf.tensor(dyv, [x[0]!, x[1]!, x[2]!, w[3]!])));
    const filterGrad = underEachTile(() =>
      tf.grad((wt: tf.Tensor) => loss(tf.tensor(xv, x), wt))(tf.tensor(wv, w)),
    );
    expect(filterGrad[1]).toEqual(filterGrad[0]);
    const inputGrad = underEachTile(() =>
      tf.grad((xt: tf.Tensor) => loss(xt, tf.tensor(wv, w)))(tf.tensor(xv, x)),
    );
    expect(inputGrad[1]).toEqual(inputGrad[0]);
  });

  // The first layer with its bias and ReLU in the stores (taps written out or looped by tile), on
  // widths that end in every partial tile of 6 pixels.
  it.each([
    { x: [2, 28, 28, 1], w: [3, 3, 1, 16], pad: 'same' },
    { x: [3, 9, 11, 1], w: [3, 3, 1, 8], pad: 'valid' },
    { x: [1, 5, 13, 1], w: [3, 3, 1, 24], pad: 'same' },
  ] as const)('fused conv2d of x $x, filter $w, $pad, with bias and ReLU', ({ x, w, pad }) => {
    useBuild(build);
    const xv = randomValues([...x], 51);
    const wv = randomValues([...w], 52);
    const bias = randomValues([w[3]], 53);
    const fused = underEachTile(() =>
      tf.fused.conv2d({
        x: tf.tensor(xv, [...x]) as tf.Tensor4D,
        filter: tf.tensor(wv, [...w]) as tf.Tensor4D,
        strides: 1,
        pad,
        bias: tf.tensor(bias, [w[3]]),
        activation: 'relu',
      }),
    );
    expect(fused[1]).toEqual(fused[0]);
  });
});
