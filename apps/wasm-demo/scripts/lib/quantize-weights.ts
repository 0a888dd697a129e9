import type { io } from '@tensorflow/tfjs-core';

/** Options of `quantizeWeights`. */
export interface QuantizeOptions {
  /**
   * Tensors with fewer values stay float32: biases are a rounding error of the file size, and
   * quantizing them would cost accuracy for nothing.
   */
  minValues?: number;
}

/** Weights after quantization: the manifest entries and the one buffer they describe, in order. */
export interface QuantizedWeights {
  specs: io.WeightsManifestEntry[];
  data: Uint8Array;
}

/**
 * Quantizes the float32 weights of a TensorFlow.js model to uint8 with one affine map per tensor,
 * writing the manifest entries `tf.io.decodeWeights` understands (`quantization: { dtype: 'uint8',
 * min, scale }`, decoded as `q * scale + min`). The range is widened to include 0 and nudged so that
 * 0 is exactly representable, as the TensorFlow.js converter does, so zero weights and padding stay 0.
 * Every value moves by at most `scale / 2`.
 *
 * @param specs The manifest entries of `data`, in buffer order (float32, int32 or bool).
 * @param data The concatenated weight values the entries describe.
 */
export function quantizeWeights(
  specs: readonly io.WeightsManifestEntry[],
  data: ArrayBuffer,
  options: QuantizeOptions = {},
): QuantizedWeights {
  const minValues = options.minValues ?? 1024;
  const parts: Uint8Array[] = [];
  const out: io.WeightsManifestEntry[] = [];
  let offset = 0;
  for (const spec of specs) {
    if (spec.quantization !== undefined) {
      throw new Error(`quantizeWeights: weight "${spec.name}" is already quantized`);
    }
    const count = spec.shape.reduce((a, b) => a * b, 1);
    const bytes = count * (spec.dtype === 'bool' ? 1 : 4);
    if (offset + bytes > data.byteLength) {
      throw new Error(
        `quantizeWeights: weight "${spec.name}" runs past the end of the ${data.byteLength}-byte data`,
      );
    }
    const raw = new Uint8Array(data, offset, bytes);
    offset += bytes;
    if (spec.dtype !== 'float32' || count < minValues) {
      parts.push(raw.slice());
      out.push({ ...spec });
      continue;
    }
    const values = new Float32Array(raw.slice().buffer);
    const { min, scale } = affineRange(values);
    const quantized = new Uint8Array(count);
    for (let i = 0; i < count; i++) {
      quantized[i] = Math.max(0, Math.min(255, Math.round((values[i]! - min) / scale)));
    }
    parts.push(quantized);
    out.push({ ...spec, quantization: { dtype: 'uint8', min, scale } });
  }
  if (offset !== data.byteLength) {
    throw new Error(
      `quantizeWeights: the specs describe ${offset} bytes but the data has ${data.byteLength}`,
    );
  }
  const total = parts.reduce((sum, part) => sum + part.length, 0);
  const merged = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    merged.set(part, at);
    at += part.length;
  }
  return { specs: out, data: merged };
}

function affineRange(values: Float32Array): { min: number; scale: number } {
  let low = 0;
  let high = 0;
  for (const value of values) {
    if (value < low) low = value;
    if (value > high) high = value;
  }
  if (high === low) return { min: 0, scale: 1 };
  const scale = (high - low) / 255;
  // Shift the range by less than half a step so that 0 falls exactly on a quantization level.
  const zeroPoint = Math.round(-low / scale);
  return { min: -zeroPoint * scale, scale };
}
