import { MnistError } from '@mnist/core';
import { resolveModelConfig } from '@mnist/model';
import { resolveTrainingConfig } from '@mnist/train';
import { describeParams } from './describe-params.js';
import { SearchSpaceError } from './search-space-error.js';
import type { SweepSettings, TrialParams } from './sweep-types.js';
import { trialConfig } from './trial-config.js';

/**
 * Builds every trial's config with the packages' own resolvers before any process starts, so a
 * combination the model cannot be built from (a 7x7 kernel on a 3x3 map, 4 filter counts for 3
 * layers) fails at once with the trial's parameters named, not minutes into the sweep.
 * @throws SearchSpaceError
 */
export function checkTrialConfigs(trials: readonly TrialParams[], settings: SweepSettings): void {
  for (const params of trials) {
    const config = trialConfig(params);
    try {
      resolveModelConfig(config.model);
      resolveTrainingConfig({ ...config.training, epochs: settings.epochs, seed: settings.seed });
    } catch (error) {
      if (!MnistError.isInstance(error)) throw error;
      throw new SearchSpaceError(`the trial ${describeParams(params)} cannot be trained: ${error.message}`, {
        cause: error,
      });
    }
  }
}
