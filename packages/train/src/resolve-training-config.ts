import { describeValue } from '@mnist/core';
import { type AugmentationConfig, AugmentationConfigError, checkAugmentationConfig } from '@mnist/data';
import type {
  EarlyStoppingConfig,
  LearningRateSchedule,
  TrainingConfig,
  TrainingConfigInput,
} from './training-types.js';
import { DEFAULT_TRAINING_CONFIG, EARLY_STOPPING_DEFAULTS } from './default-training-config.js';
import { TrainingConfigError } from './training-config-error.js';

const CONFIG_KEYS = Object.keys(DEFAULT_TRAINING_CONFIG) as (keyof TrainingConfig)[];
const EARLY_STOPPING_KEYS: readonly (keyof EarlyStoppingConfig)[] = [
  'patience',
  'minDelta',
  'restoreBestWeights',
];
const SCHEDULE_KEYS: Record<LearningRateSchedule['kind'], readonly string[]> = {
  constant: ['kind'],
  exponential: ['kind', 'decayRate'],
  step: ['kind', 'everyEpochs', 'factor'],
  cosine: ['kind', 'minLearningRate'],
  oneCycle: ['kind', 'warmupFraction', 'initialDivisor', 'finalDivisor'],
  warmupCosine: ['kind', 'warmupFraction', 'minLearningRate'],
};
const MAX_SEED = 0xffffffff;
// Far above any useful count (each thread holds a copy of the model and a WASM heap).
const MAX_THREADS = 64;

/**
 * Fills the missing fields of `input` from `DEFAULT_TRAINING_CONFIG` and checks every field, so
 * that a typo or an out-of-range value fails before any tensor is made. `earlyStopping` may be
 * given in part (missing fields from the default) or `null` to turn it off; so may `augmentation`
 * (missing ranges are 0).
 *
 * @returns a new, complete config; `input` is not modified.
 * @throws {TrainingConfigError} naming the first bad field, what it accepts and what it got;
 *   unknown fields are refused too (they are usually typos).
 */
export function resolveTrainingConfig(input: TrainingConfigInput = {}): TrainingConfig {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new TrainingConfigError(`training config must be an object, got ${describeValue(input)}`);
  }
  if ('backend' in input) {
    // The field of earlier versions: a common leftover in saved configs, so it gets its own hint.
    throw new TrainingConfigError(
      'training config field "backend" is gone: `train` trains on the active tfjs backend; the app selects it ' +
        'once at start-up with `selectBackend` of @mnist/runtime',
    );
  }
  rejectUnknownKeys('training config', input, CONFIG_KEYS);
  const defined = Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined));
  const merged = { ...DEFAULT_TRAINING_CONFIG, ...defined } as TrainingConfig;

  checkInteger('epochs', merged.epochs, 1);
  checkInteger('batchSize', merged.batchSize, 1);
  checkPositive('learningRate', merged.learningRate);
  if (
    !(typeof merged.validationSplit === 'number' && merged.validationSplit >= 0 && merged.validationSplit < 1)
  ) {
    throw new TrainingConfigError(
      `training config field "validationSplit" must be a number in [0, 1), got ${describeValue(merged.validationSplit)}`,
    );
  }
  checkInteger('seed', merged.seed, 0, MAX_SEED);
  const threads: unknown = merged.threads;
  if (
    threads !== 'auto' &&
    !(typeof threads === 'number' && Number.isInteger(threads) && threads >= 1 && threads <= MAX_THREADS)
  ) {
    throw new TrainingConfigError(
      `training config field "threads" must be 'auto' or an integer in [1, ${MAX_THREADS}], got ${describeValue(threads)}`,
    );
  }
  checkUnitInterval('labelSmoothing', merged.labelSmoothing);
  checkNonNegative('weightDecay', merged.weightDecay);
  return {
    epochs: merged.epochs,
    batchSize: merged.batchSize,
    learningRate: merged.learningRate,
    validationSplit: merged.validationSplit,
    seed: merged.seed,
    threads: merged.threads,
    earlyStopping: resolveEarlyStopping(merged.earlyStopping),
    learningRateSchedule: resolveSchedule(merged.learningRateSchedule, merged.learningRate),
    labelSmoothing: merged.labelSmoothing,
    weightDecay: merged.weightDecay,
    augmentation: resolveAugmentation(merged.augmentation),
  };
}

function resolveAugmentation(value: AugmentationConfig | null): AugmentationConfig | null {
  if (value === null) return null;
  try {
    return checkAugmentationConfig(value, 'augmentation');
  } catch (error) {
    // @mnist/data names the field and the range; said here as every other field is.
    if (AugmentationConfigError.isInstance(error)) {
      throw new TrainingConfigError(`training config field ${error.message}`, { cause: error });
    }
    throw error;
  }
}

function resolveEarlyStopping(value: EarlyStoppingConfig | null): EarlyStoppingConfig | null {
  if (value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new TrainingConfigError(
      `training config field "earlyStopping" must be null or an object { patience, minDelta, restoreBestWeights }, got ${describeValue(value)}`,
    );
  }
  rejectUnknownKeys('earlyStopping', value, EARLY_STOPPING_KEYS);
  const merged = { ...EARLY_STOPPING_DEFAULTS, ...value };
  checkInteger('earlyStopping.patience', merged.patience, 1);
  if (!(typeof merged.minDelta === 'number' && Number.isFinite(merged.minDelta) && merged.minDelta >= 0)) {
    throw new TrainingConfigError(
      `training config field "earlyStopping.minDelta" must be a finite number >= 0, got ${describeValue(merged.minDelta)}`,
    );
  }
  if (typeof merged.restoreBestWeights !== 'boolean') {
    throw new TrainingConfigError(
      `training config field "earlyStopping.restoreBestWeights" must be true or false, got ${describeValue(merged.restoreBestWeights)}`,
    );
  }
  return {
    patience: merged.patience,
    minDelta: merged.minDelta,
    restoreBestWeights: merged.restoreBestWeights,
  };
}

function resolveSchedule(value: LearningRateSchedule, learningRate: number): LearningRateSchedule {
  const kinds = Object.keys(SCHEDULE_KEYS);
  if (
    typeof value !== 'object' ||
    value === null ||
    !kinds.includes((value as { kind?: unknown }).kind as string)
  ) {
    throw new TrainingConfigError(
      `training config field "learningRateSchedule" must be an object whose "kind" is one of ${kinds.map((k) => `'${k}'`).join(', ')}, got ${describeValue(value)}`,
    );
  }
  rejectUnknownKeys(`learningRateSchedule (${value.kind})`, value, SCHEDULE_KEYS[value.kind]);
  switch (value.kind) {
    case 'constant':
      return { kind: 'constant' };
    case 'exponential':
      checkFraction('learningRateSchedule.decayRate', value.decayRate);
      return { kind: 'exponential', decayRate: value.decayRate };
    case 'step':
      checkInteger('learningRateSchedule.everyEpochs', value.everyEpochs, 1);
      checkFraction('learningRateSchedule.factor', value.factor);
      return { kind: 'step', everyEpochs: value.everyEpochs, factor: value.factor };
    case 'cosine': {
      checkMinLearningRate(value.minLearningRate, learningRate);
      return { kind: 'cosine', minLearningRate: value.minLearningRate };
    }
    case 'oneCycle':
      checkUnitInterval('learningRateSchedule.warmupFraction', value.warmupFraction);
      checkPositive('learningRateSchedule.initialDivisor', value.initialDivisor);
      checkPositive('learningRateSchedule.finalDivisor', value.finalDivisor);
      return {
        kind: 'oneCycle',
        warmupFraction: value.warmupFraction,
        initialDivisor: value.initialDivisor,
        finalDivisor: value.finalDivisor,
      };
    case 'warmupCosine':
      checkUnitInterval('learningRateSchedule.warmupFraction', value.warmupFraction);
      checkMinLearningRate(value.minLearningRate, learningRate);
      return {
        kind: 'warmupCosine',
        warmupFraction: value.warmupFraction,
        minLearningRate: value.minLearningRate,
      };
  }
}

function checkMinLearningRate(min: unknown, learningRate: number): void {
  if (!(typeof min === 'number' && Number.isFinite(min) && min >= 0 && min <= learningRate)) {
    throw new TrainingConfigError(
      `training config field "learningRateSchedule.minLearningRate" must be a number in [0, learningRate = ${learningRate}], got ${describeValue(min)}`,
    );
  }
}

function rejectUnknownKeys(where: string, value: object, known: readonly string[]): void {
  const unknown = Object.keys(value).filter((key) => !known.includes(key));
  if (unknown.length > 0) {
    throw new TrainingConfigError(
      `${where} has unknown field${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `"${k}"`).join(', ')}; known fields: ${known.join(', ')}`,
    );
  }
}

function checkInteger(field: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): void {
  if (!(typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max)) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `in [${min}, ${max}]`;
    throw new TrainingConfigError(
      `training config field "${field}" must be an integer ${range}, got ${describeValue(value)}`,
    );
  }
}

function checkPositive(field: string, value: unknown): void {
  if (!(typeof value === 'number' && Number.isFinite(value) && value > 0)) {
    throw new TrainingConfigError(
      `training config field "${field}" must be a finite number > 0, got ${describeValue(value)}`,
    );
  }
}

function checkUnitInterval(field: string, value: unknown): void {
  if (!(typeof value === 'number' && value >= 0 && value < 1)) {
    throw new TrainingConfigError(
      `training config field "${field}" must be a number in [0, 1), got ${describeValue(value)}`,
    );
  }
}

function checkNonNegative(field: string, value: unknown): void {
  if (!(typeof value === 'number' && Number.isFinite(value) && value >= 0)) {
    throw new TrainingConfigError(
      `training config field "${field}" must be a finite number >= 0, got ${describeValue(value)}`,
    );
  }
}

function checkFraction(field: string, value: unknown): void {
  if (!(typeof value === 'number' && value > 0 && value <= 1)) {
    throw new TrainingConfigError(
      `training config field "${field}" must be a number in (0, 1], got ${describeValue(value)}`,
    );
  }
}
