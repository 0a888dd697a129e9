import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createModel } from './create-model.js';
import { summarizeModel } from './summarize-model.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('summarizeModel', () => {
  it('counts parameters and multiply-accumulates of the default model', () => {
    const model = createModel();
    const summary = summarizeModel(model);
    // Worked out by hand: conv 'same' keeps the size, pools halve it, rounding down (28 -> 14 -> 7 -> 3).
    const conv1 = { params: 3 * 3 * 1 * 16 + 16, macs: 28 * 28 * 16 * (3 * 3 * 1) };
    const conv2 = { params: 3 * 3 * 16 * 32 + 32, macs: 14 * 14 * 32 * (3 * 3 * 16) };
    const conv3 = { params: 3 * 3 * 32 * 64 + 64, macs: 7 * 7 * 64 * (3 * 3 * 32) };
    const dense = { params: 576 * 192 + 192, macs: 576 * 192 };
    const output = { params: 192 * 10 + 10, macs: 192 * 10 };
    const all = [conv1, conv2, conv3, dense, output];
    expect(summary.parameters).toBe(all.reduce((s, l) => s + l.params, 0));
    expect(summary.parameters).toBe(136_010);
    expect(summary.parameters).toBe(model.countParams());
    expect(summary.flopsPerImage).toBe(all.reduce((s, l) => s + l.macs, 0));
    expect(summary.flopsPerImage).toBe(2_031_744);
    expect(summary.layers.map((l) => [l.name, l.className, l.outputShape, l.parameters])).toEqual([
      ['conv1', 'Conv2D', [null, 28, 28, 16], conv1.params],
      ['pool1', 'MaxPooling2D', [null, 14, 14, 16], 0],
      ['conv2', 'Conv2D', [null, 14, 14, 32], conv2.params],
      ['pool2', 'MaxPooling2D', [null, 7, 7, 32], 0],
      ['conv3', 'Conv2D', [null, 7, 7, 64], conv3.params],
      ['pool3', 'MaxPooling2D', [null, 3, 3, 64], 0],
      ['dropout_conv', 'Dropout', [null, 3, 3, 64], 0],
      ['flatten', 'Flatten', [null, 576], 0],
      ['dense', 'Dense', [null, 192], dense.params],
      ['dropout_dense', 'Dropout', [null, 192], 0],
      ['output', 'Dense', [null, 10], output.params],
    ]);
    model.dispose();
  });

  it('counts only trainable batch-norm weights and follows the pooling', () => {
    const model = createModel({
      convLayers: 2,
      filters: [8, 16],
      poolAfter: [1],
      batchNorm: true,
      denseUnits: 0,
    });
    const summary = summarizeModel(model);
    const conv1 = 3 * 3 * 1 * 8; // no bias with batch norm
    const conv2 = 3 * 3 * 8 * 16;
    const bn = 2 * 8 + 2 * 16; // gamma and beta; moving mean and variance are not trained
    const output = 14 * 14 * 16 * 10 + 10;
    expect(summary.parameters).toBe(conv1 + conv2 + bn + output);
    expect(model.countParams()).toBe(conv1 + conv2 + bn + output + 2 * 8 + 2 * 16);
    expect(summary.flopsPerImage).toBe(28 * 28 * 8 * 9 + 28 * 28 * 16 * 9 * 8 + 14 * 14 * 16 * 10);
    model.dispose();
  });
});
