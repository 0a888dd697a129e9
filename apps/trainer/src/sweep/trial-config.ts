import type { TrainingConfigInput } from '@mnist/train';
import { DEFAULT_MODEL_CONFIG, type ModelConfigInput } from '@mnist/model';
import type { ConfigFile } from '../load-config-file.js';
import { SWEEP_PARAMS } from './sweep-params.js';
import type { TrialParams } from './sweep-types.js';

/**
 * Pools of a model whose layer count the sweep searched (unless it searched `poolAfter` too): after
 * the first two conv layers, so that every layer count and kernel size the sweep allows still has
 * a map as large as its kernel (the default's pool after every conv would leave a 3x3 map to a
 * fourth layer).
 */
const POOLS_FOR_SEARCHED_LAYER_COUNTS: readonly number[] = [0, 1];

/**
 * The `--config` content that trains a trial's parameters: the searched values, plus what a
 * different layer count forces on the default architecture. When `convLayers` is searched but
 * `filters` is not, the default per-layer filters (16,32,64) are cut or extended with their last
 * value (2 layers: 16,32; 4 layers: 16,32,64,64); at the default's 3 layers the default pools stay,
 * at any other count pools follow the first two conv layers (only the first when there is one
 * layer), so every layer count gets a model.
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
    if (layers !== DEFAULT_MODEL_CONFIG.convLayers) {
      model.poolAfter = POOLS_FOR_SEARCHED_LAYER_COUNTS.filter((layer) => layer < layers);
    }
  }
  return { model, training };
}
