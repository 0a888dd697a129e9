import type { TrainingConfigInput } from '@mnist/train';
import { resolveModelConfig } from '@mnist/model';
import type { ConfigFile } from '../load-config-file.js';
import type { SweepSettings, TrialParams } from './sweep-types.js';
import { trialConfig } from './trial-config.js';

/**
 * The content of best.json: a `--config` file (`{ model, training }`, as load-config-file.ts
 * reads it) that trains the best trial's configuration in full with `pnpm train -- --config
 * best.json`. `model` is the complete resolved architecture; `training` holds the searched
 * training values and the sweep's seed (and validation split, if set) but not the per-trial epoch
 * budget or early stopping, so a full run gets the trainer's full-training defaults.
 */
export function bestConfig(params: TrialParams, settings: SweepSettings): Required<ConfigFile> {
  const config = trialConfig(params);
  const training: TrainingConfigInput = { ...config.training, seed: settings.seed };
  if (settings.validationSplit !== undefined) training.validationSplit = settings.validationSplit;
  return { model: resolveModelConfig(config.model), training };
}
