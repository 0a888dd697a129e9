import { io } from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { describe, expect, it } from 'vitest';
import { quantizeWeights } from './quantize-weights.js';

function buffer(...arrays: (Float32Array | Int32Array)[]): ArrayBuffer {
  const total = arrays.reduce((sum, a) => sum + a.byteLength, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const a of arrays) {
    out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), at);
    at += a.byteLength;
  }
  return out.buffer;
}

describe('quantizeWeights', () => {
  const kernel = Float32Array.from({ length: 2048 }, (_, i) => Math.sin(i * 0.37) * 0.3 - 0.05);
  kernel[7] = 0;
  const bias = Float32Array.from({ length: 16 }, (_, i) => i / 100);
  const steps = Int32Array.from([3, 4]);
  const specs: io.WeightsManifestEntry[] = [
    { name: 'conv/kernel', shape: [2, 32, 32], dtype: 'float32' },
    { name: 'conv/bias', shape: [16], dtype: 'float32' },
    { name: 'steps', shape: [2], dtype: 'int32' },
  ];

  it('writes uint8 manifest entries that tf.io.decodeWeights reads back within half a step', () => {
    const { specs: out, data } = quantizeWeights(specs, buffer(kernel, bias, steps));
    expect(data.byteLength).toBe(2048 + 16 * 4 + 2 * 4);
    const q = out[0]!.quantization!;
    expect(q.dtype).toBe('uint8');
    expect(out[1]!.quantization).toBeUndefined();
    expect(out[2]!.quantization).toBeUndefined();

    const decoded = io.decodeWeights(data.slice().buffer, out);
    const kernelBack = decoded['conv/kernel']!.dataSync();
    let worst = 0;
    for (let i = 0; i < kernel.length; i++) worst = Math.max(worst, Math.abs(kernelBack[i]! - kernel[i]!));
    // The range here is ~0.7 wide, so a step is ~0.0027 and no value may move by more than half of it.
    expect(worst).toBeLessThanOrEqual(q.scale! / 2 + 1e-7);
    expect(q.scale!).toBeLessThan(0.7 / 255 + 1e-6);
    // Zero is a quantization level, so an exact zero survives exactly.
    expect(kernelBack[7]).toBe(0);
    expect(Array.from(decoded['conv/bias']!.dataSync())).toEqual(Array.from(bias));
    expect(Array.from(decoded['steps']!.dataSync())).toEqual([3, 4]);
    for (const tensor of Object.values(decoded)) tensor.dispose();
  });

  it('quantizes a constant tensor without dividing by zero', () => {
    const constant = new Float32Array(1024).fill(0.5);
    const { specs: out, data } = quantizeWeights(
      [{ name: 'c', shape: [1024], dtype: 'float32' }],
      buffer(constant),
    );
    const back = io.decodeWeights(data.slice().buffer, out)['c']!;
    expect(Math.max(...back.dataSync().map((v) => Math.abs(v - 0.5)))).toBeLessThanOrEqual(1 / 255);
    back.dispose();
  });

  it('rejects data that does not match the specs', () => {
    expect(() => quantizeWeights(specs, new ArrayBuffer(100))).toThrow(/runs past the end/);
    expect(() => quantizeWeights(specs.slice(0, 1), buffer(kernel, bias))).toThrow(/describe 8192 bytes/);
  });
});
