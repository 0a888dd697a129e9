import { IMAGE_SIZE } from '@mnist/core';
import type { ModelConfig, ModelConfigInput } from './model-types.js';
import { DEFAULT_MODEL_CONFIG } from './default-model-config.js';
import { ModelConfigError } from './model-config-error.js';

const FIELDS = Object.keys(DEFAULT_MODEL_CONFIG) as (keyof ModelConfig)[];

/**
 * Validates a partial model config and fills the missing fields from `DEFAULT_MODEL_CONFIG`.
 *
 * Convolutions use `'same'` padding, so only the 2x2 max-pools (stride 2, `'valid'`) shrink the
 * feature map: 28 -> 14 -> 7 -> 3 -> 1. The map size is tracked through the stack so that a kernel
 * larger than the map it slides over, or a pool on a 1x1 map, is rejected here rather than failing
 * (or silently degenerating) inside TensorFlow.js.
 *
 * @returns a fresh config (arrays copied, `poolAfter` sorted) that `createModel` can build.
 * @throws ModelConfigError naming the field and what was expected.
 */
export function resolveModelConfig(input: ModelConfigInput = {}): ModelConfig {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new ModelConfigError(`Model config must be an object; got ${describe(input)}`);
  }
  for (const key of Object.keys(input)) {
    if (!(FIELDS as string[]).includes(key)) {
      throw new ModelConfigError(
        `Model config has unknown field "${key}"; expected one of ${FIELDS.join(', ')}`,
      );
    }
  }
  const pick = <K extends keyof ModelConfig>(key: K): ModelConfig[K] =>
    input[key] === undefined ? DEFAULT_MODEL_CONFIG[key] : (input[key] as ModelConfig[K]);

  const convLayers = pick('convLayers');
  requireInteger('convLayers', convLayers, 1, 'a CNN needs at least one conv layer');

  const filters = pick('filters');
  if (Array.isArray(filters)) {
    if (filters.length !== convLayers) {
      throw new ModelConfigError(
        `Model config field "filters" has ${filters.length} entries but convLayers is ${convLayers}; ` +
          'give one number for all layers or exactly one per conv layer',
      );
    }
    filters.forEach((value, index) => {
      requireInteger(`filters[${index}]`, value, 1);
    });
  } else {
    requireInteger('filters', filters, 1);
  }

  const kernelSize = pick('kernelSize');
  requireInteger('kernelSize', kernelSize, 1);

  const poolAfter = pick('poolAfter');
  if (!Array.isArray(poolAfter)) {
    throw new ModelConfigError(
      `Model config field "poolAfter" must be an array of conv layer indices; got ${describe(poolAfter)}`,
    );
  }
  poolAfter.forEach((value, index) => {
    requireInteger(`poolAfter[${index}]`, value, 0);
    if (value >= convLayers) {
      throw new ModelConfigError(
        `Model config field "poolAfter[${index}]" is ${value} but the conv layers are numbered 0 to ${convLayers - 1}`,
      );
    }
  });
  if (new Set(poolAfter).size !== poolAfter.length) {
    throw new ModelConfigError(
      `Model config field "poolAfter" lists a conv layer twice (${poolAfter.join(', ')}); each conv layer has at most one pool`,
    );
  }

  // Walk the stack: 'same' convs keep the size, each 2x2/2 pool floors it to half.
  const maxPools = Math.floor(Math.log2(IMAGE_SIZE));
  let size = IMAGE_SIZE;
  for (let layer = 0; layer < convLayers; layer++) {
    if (kernelSize > size) {
      throw new ModelConfigError(
        `Model config field "kernelSize" is ${kernelSize} but conv layer ${layer} sees a ${size}x${size} ` +
          `feature map; the kernel must be at most ${size} (move or drop a pool in "poolAfter", or use a smaller kernel)`,
      );
    }
    if (poolAfter.includes(layer)) {
      if (size < 2) {
        throw new ModelConfigError(
          `Model config field "poolAfter" has ${poolAfter.length} pools but a ${IMAGE_SIZE}x${IMAGE_SIZE} image allows ` +
            `at most ${maxPools} (the pool after conv layer ${layer} would see a ${size}x${size} map)`,
        );
      }
      size = Math.floor(size / 2);
    }
  }

  const dropout = pick('dropout');
  if (typeof dropout !== 'number' || !Number.isFinite(dropout) || dropout < 0 || dropout >= 1) {
    throw new ModelConfigError(
      `Model config field "dropout" must be a number in [0, 1) (0 for no dropout); got ${describe(dropout)}`,
    );
  }

  const denseUnits = pick('denseUnits');
  requireInteger('denseUnits', denseUnits, 0, 'use 0 for no hidden dense layer');

  const batchNorm = pick('batchNorm');
  if (typeof batchNorm !== 'boolean') {
    throw new ModelConfigError(
      `Model config field "batchNorm" must be true or false; got ${describe(batchNorm)}`,
    );
  }

  const inputNormalization = pick('inputNormalization');
  if (inputNormalization !== null) {
    if (typeof inputNormalization !== 'object' || Array.isArray(inputNormalization)) {
      throw new ModelConfigError(
        `Model config field "inputNormalization" must be { mean, std } or null; got ${describe(inputNormalization)}`,
      );
    }
    const { mean, std } = inputNormalization;
    if (typeof mean !== 'number' || !Number.isFinite(mean)) {
      throw new ModelConfigError(
        `Model config field "inputNormalization.mean" must be a finite number; got ${describe(mean)}`,
      );
    }
    if (typeof std !== 'number' || !Number.isFinite(std) || std <= 0) {
      throw new ModelConfigError(
        `Model config field "inputNormalization.std" must be a finite number > 0; got ${describe(std)}`,
      );
    }
  }

  return {
    convLayers,
    filters: Array.isArray(filters) ? [...filters] : filters,
    kernelSize,
    poolAfter: [...poolAfter].sort((a, b) => a - b),
    dropout,
    denseUnits,
    batchNorm,
    inputNormalization:
      inputNormalization === null ? null : { mean: inputNormalization.mean, std: inputNormalization.std },
  };
}

function requireInteger(field: string, value: unknown, min: number, hint?: string): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new ModelConfigError(
      `Model config field "${field}" must be an integer >= ${min}; got ${describe(value)}` +
        (hint === undefined ? '' : ` (${hint})`),
    );
  }
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(describe).join(', ')}]`;
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return String(value);
}
