import { describe, expect, it } from 'vitest';
import { modelJsonFor } from './download-model.js';

describe('modelJsonFor', () => {
  it('writes a layers-model manifest naming the weights file beside it', () => {
    const weights = [{ name: 'dense/kernel', shape: [2, 2], dtype: 'float32' as const }];
    const json = modelJsonFor(
      { modelTopology: { class_name: 'Sequential' }, weightSpecs: weights, weightData: new ArrayBuffer(16) },
      'model.weights.bin',
    );
    expect(json.format).toBe('layers-model');
    expect(json.modelTopology).toEqual({ class_name: 'Sequential' });
    expect(json.weightsManifest).toEqual([{ paths: ['./model.weights.bin'], weights }]);
  });
});
