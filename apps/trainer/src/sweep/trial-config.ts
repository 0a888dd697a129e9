import type { TrainingConfigInput } from '@mnist/train';
import { DEFAULT_MODEL_CONFIG, type ModelConfigInput } from '@mnist/model';
import type { ConfigFile } from '../load-config-file.js';
import { SWEEP_PARAMS } from './sweep-params.js';
import type { TrialParams } from './sweep-types.js';

/**
 * The `--config` content that trains a trial's parameters: the searched values, plus what a
 * different layer count forces on the default architecture. When `convLayers` is searched but
 * `filters` is not, the default per-layer filters (32,64,64) are cut or extended with their last
 * value (2 layers: 32,64; 4 layers: 32,64,64,64), and pools stay after the first two conv layers
 * (only after the first one when there is one layer), so every layer count gets a model.
 */
export function trialConfig(params: TrialParams): Required<ConfigFile> {
  const model: ModelConfigInput = {};
  const training: TrainingConfigInput = {};
  for (const { name, section } of SWEEP_PARAMS) {
    const value = params[name];
    if (value === undefined) continue;
    if (section === 'model')
      (model as Record<string, unknown>)[name] = Array.isArray(value) ? [...value] : value;
    else (training as Record<string, unknown>)[name] = value;
  }
  const layers = params.convLayers;
  if (typeof layers === 'number') {
    const defaults = DEFAULT_MODEL_CONFIG.filters;
    if (params.filters === undefined && Array.isArray(defaults) && defaults.length !== layers) {
      model.filters = Array.from({ length: layers }, (_, i) => defaults[Math.min(i, defaults.length - 1)]!);
    }
    const pools = DEFAULT_MODEL_CONFIG.poolAfter.filter((layer) => layer < layers);
    if (pools.length !== DEFAULT_MODEL_CONFIG.poolAfter.length) model.poolAfter = pools;
  }
  return { model, training };
}
