import { memory, setBackend, tensor } from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { copyTensorValues } from './copy-tensor-values.js';
import { selectBackend } from '@mnist/runtime';

describe('copyTensorValues', () => {
  it.each(['wasm', 'cpu'] as const)(
    'copies a tensor into a typed array on %s without making tensors',
    async (name) => {
      await selectBackend(name);
      const values = Float32Array.from({ length: 300 }, (_, i) => Math.sin(i));
      const source = tensor(values, [10, 30]);
      const target = new Float32Array(300);
      const before = memory().numTensors;
      copyTensorValues(source, target);
      expect(target).toEqual(values);
      expect(memory().numTensors).toBe(before);
      // A copy, not a view: later writes to the target leave the tensor alone.
      target.fill(0);
      expect(source.dataSync()).toEqual(values);
      source.dispose();
      await setBackend('wasm');
    },
  );
});
