import type { ModelConfig, ModelConfigInput } from '@mnist/model';
import { EARLY_STOPPING_DEFAULTS, type TrainingConfig } from '@mnist/train';
import type { ConfigFile } from './load-config-file.js';
import type { CliOptions } from './parse-cli-args.js';
import { applyScheduleFlags, SCHEDULE_FLAG_DEFAULTS } from './schedule-flags.js';
import type { TrainerTrainingInput } from './trainer-training-config.js';

/** Model and training input after layering: defaults < `--recipe` < `--config` file < flags. */
export interface MergedConfigInput {
  model: ModelConfigInput;
  training: TrainerTrainingInput;
}

/**
 * Layers the flags over the `--config` file (itself layered over a `--recipe`, see
 * `layerConfigFiles`). `--schedule` and its parameter flags change the schedule as
 * `applyScheduleFlags` says. `--early-stopping-patience 0` turns early stopping
 * off; a positive patience keeps the other early-stopping fields from the file or the defaults.
 * When the number of conv layers changes but nobody set the per-layer fields, the default filter
 * list and pool positions are fitted to it (`--conv-layers 2` alone gives filters 32,64 and pools
 * after layers 0 and 1) instead of failing on a length mismatch.
 * Returns inputs for `resolveModelConfig` / `resolveTrainerTraining`, which fill and check the rest.
 */
export function mergeRunConfig(
  file: ConfigFile,
  cli: Pick<CliOptions, 'model' | 'training' | 'earlyStoppingPatience' | 'schedule'>,
  defaults: {
    model: Pick<ModelConfig, 'filters' | 'poolAfter'>;
    training: Pick<TrainingConfig, 'earlyStopping'> & Partial<Pick<TrainingConfig, 'learningRateSchedule'>>;
  },
): MergedConfigInput {
  const training: TrainerTrainingInput = { ...file.training, ...cli.training };
  if (cli.earlyStoppingPatience !== undefined) {
    const base = file.training?.earlyStopping ?? defaults.training.earlyStopping ?? EARLY_STOPPING_DEFAULTS;
    training.earlyStopping =
      cli.earlyStoppingPatience === 0 ? null : { ...base, patience: cli.earlyStoppingPatience };
  }
  const schedule = applyScheduleFlags(
    training.learningRateSchedule ??
      defaults.training.learningRateSchedule ??
      SCHEDULE_FLAG_DEFAULTS.exponential,
    cli.schedule ?? {},
  );
  if (schedule !== undefined) training.learningRateSchedule = schedule;
  const model: ModelConfigInput = { ...file.model, ...cli.model };
  const layers = model.convLayers;
  if (layers !== undefined) {
    const { filters, poolAfter } = defaults.model;
    if (model.filters === undefined && Array.isArray(filters) && filters.length !== layers) {
      model.filters = Array.from({ length: layers }, (_, i) => filters[Math.min(i, filters.length - 1)]!);
    }
    if (model.poolAfter === undefined && poolAfter.some((i) => i >= layers)) {
      model.poolAfter = poolAfter.filter((i) => i < layers);
    }
  }
  return { model, training };
}
