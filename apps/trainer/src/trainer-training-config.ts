import type { BackendChoice } from '@mnist/runtime';
import {
  DEFAULT_TRAINING_CONFIG,
  resolveTrainingConfig,
  type TrainingConfig,
  TrainingConfigError,
  type TrainingConfigInput,
} from '@mnist/train';

/**
 * The trainer's training settings: the config of `train()` plus the backend the trainer selects at
 * start-up (`--backend`). It sits in the `training` half of `--config` files, checkpoints and
 * metrics.json, where earlier trainers wrote it, so a past run's config still repeats it.
 */
export type TrainerTrainingConfig = TrainingConfig & { backend: BackendChoice };

/** A partial `TrainerTrainingConfig` as flags and `--config` files give it. */
export type TrainerTrainingInput = TrainingConfigInput & { backend?: BackendChoice };

/** The choices of `--backend`. */
export const BACKEND_CHOICES: readonly BackendChoice[] = ['auto', 'node', 'wasm', 'cpu'];

/** `DEFAULT_TRAINING_CONFIG` of @mnist/train, with the fastest backend that loads. */
export const DEFAULT_TRAINER_TRAINING: TrainerTrainingConfig = Object.freeze({
  ...DEFAULT_TRAINING_CONFIG,
  backend: 'auto',
}) as TrainerTrainingConfig;

/**
 * Fills and checks `input`: the backend here, everything else with `resolveTrainingConfig`.
 *
 * @throws {TrainingConfigError} naming the bad field.
 */
export function resolveTrainerTraining(input: TrainerTrainingInput = {}): TrainerTrainingConfig {
  const { backend = DEFAULT_TRAINER_TRAINING.backend, ...training } = input;
  if (!BACKEND_CHOICES.includes(backend)) {
    throw new TrainingConfigError(
      `training config field "backend" must be one of ${BACKEND_CHOICES.map((b) => `'${b}'`).join(', ')}, got ${JSON.stringify(backend)}`,
    );
  }
  return { ...resolveTrainingConfig(training), backend };
}

/** What `train()` takes: the settings without the backend, which the trainer has selected already. */
export function trainingConfigOf(settings: TrainerTrainingConfig): TrainingConfig {
  const { backend: _selected, ...config } = settings;
  return config;
}
