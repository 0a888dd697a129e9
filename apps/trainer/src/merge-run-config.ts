import type { EarlyStoppingConfig, ModelConfigInput, TrainingConfig, TrainingConfigInput } from '@mnist/core';
import type { ConfigFile } from './load-config-file.js';
import type { CliOptions } from './parse-cli-args.js';

/** Model and training input after layering: defaults < `--config` file < flags. */
export interface MergedConfigInput {
  model: ModelConfigInput;
  training: TrainingConfigInput;
}

// Used when patience is turned on but neither the file nor the defaults say how to judge improvement.
const FALLBACK_EARLY_STOPPING: EarlyStoppingConfig = { patience: 3, minDelta: 0, restoreBestWeights: true };

/**
 * Layers the flags over the `--config` file. `--early-stopping-patience 0` turns early stopping
 * off; a positive patience keeps the other early-stopping fields from the file or the defaults.
 * Returns inputs for `resolveModelConfig` / `resolveTrainingConfig`, which fill and check the rest.
 */
export function mergeRunConfig(
  file: ConfigFile,
  cli: Pick<CliOptions, 'model' | 'training' | 'earlyStoppingPatience'>,
  defaultTraining: Pick<TrainingConfig, 'earlyStopping'>,
): MergedConfigInput {
  const training: TrainingConfigInput = { ...file.training, ...cli.training };
  if (cli.earlyStoppingPatience !== undefined) {
    const base = file.training?.earlyStopping ?? defaultTraining.earlyStopping ?? FALLBACK_EARLY_STOPPING;
    training.earlyStopping = cli.earlyStoppingPatience === 0 ? null : { ...base, patience: cli.earlyStoppingPatience };
  }
  return { model: { ...file.model, ...cli.model }, training };
}
