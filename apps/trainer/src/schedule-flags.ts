import type { LearningRateSchedule } from '@mnist/train';
import { CliUsageError } from './cli-usage-error.js';

/** `--schedule` and its parameter flags, as given; every field optional. */
export interface ScheduleFlags {
  kind?: LearningRateSchedule['kind'];
  decayRate?: number;
  everyEpochs?: number;
  factor?: number;
  minLearningRate?: number;
  warmupFraction?: number;
  initialDivisor?: number;
  finalDivisor?: number;
}

/** The words of `--schedule`, kebab-case as flags are, and the kinds they name. */
export const SCHEDULE_CHOICES: Readonly<Record<string, LearningRateSchedule['kind']>> = Object.freeze({
  constant: 'constant',
  exponential: 'exponential',
  step: 'step',
  cosine: 'cosine',
  'one-cycle': 'oneCycle',
  'warmup-cosine': 'warmupCosine',
});

/**
 * The parameters a `--schedule` kind starts from when the recipe or `--config` file has another
 * kind: the training default's decay, PyTorch's OneCycleLR defaults (pct_start 0.3, div_factor 25,
 * final_div_factor 1e4), a 10% warm-up; the parameter flags then override them.
 */
export const SCHEDULE_FLAG_DEFAULTS: Readonly<Record<LearningRateSchedule['kind'], LearningRateSchedule>> =
  Object.freeze({
    constant: { kind: 'constant' },
    exponential: { kind: 'exponential', decayRate: 0.6 },
    step: { kind: 'step', everyEpochs: 2, factor: 0.5 },
    cosine: { kind: 'cosine', minLearningRate: 0 },
    oneCycle: { kind: 'oneCycle', warmupFraction: 0.3, initialDivisor: 25, finalDivisor: 1e4 },
    warmupCosine: { kind: 'warmupCosine', warmupFraction: 0.1, minLearningRate: 0 },
  });

/** Each parameter flag: the schedule field it sets. */
export const SCHEDULE_PARAMETER_FLAGS: Readonly<Record<Exclude<keyof ScheduleFlags, 'kind'>, string>> =
  Object.freeze({
    decayRate: '--decay-rate',
    everyEpochs: '--step-every',
    factor: '--step-factor',
    minLearningRate: '--min-learning-rate',
    warmupFraction: '--warmup-fraction',
    initialDivisor: '--initial-divisor',
    finalDivisor: '--final-divisor',
  });

/** The `--schedule` word of a schedule kind (`oneCycle` is `one-cycle`). */
export function kindWord(kind: LearningRateSchedule['kind']): string {
  return Object.entries(SCHEDULE_CHOICES).find(([, k]) => k === kind)?.[0] ?? kind;
}

/**
 * The schedule after the flags: `--schedule KIND` replaces `base` (the recipe's or `--config`
 * file's, else the default) with KIND's starting parameters unless it is already that kind; each
 * parameter flag then sets its field. Returns undefined when no schedule flag was given, so the
 * layers below stay as they are.
 *
 * @throws {CliUsageError} for a parameter flag the resulting kind has no field for, naming the flag,
 *   the kinds it applies to and the kind in effect.
 */
export function applyScheduleFlags(
  base: LearningRateSchedule,
  flags: ScheduleFlags,
): LearningRateSchedule | undefined {
  const { kind, ...parameters } = flags;
  const given = Object.entries(parameters).filter(([, value]) => value !== undefined);
  if (kind === undefined && given.length === 0) return undefined;
  const start = kind === undefined || kind === base.kind ? base : SCHEDULE_FLAG_DEFAULTS[kind];
  for (const [field] of given) {
    if (!(field in start)) {
      const flag = SCHEDULE_PARAMETER_FLAGS[field as keyof typeof SCHEDULE_PARAMETER_FLAGS];
      const kinds = Object.values(SCHEDULE_FLAG_DEFAULTS)
        .filter((schedule) => field in schedule)
        .map((schedule) => kindWord(schedule.kind));
      throw new CliUsageError(
        `${flag} applies to --schedule ${kinds.join(' or ')}; the schedule in effect is ${kindWord(start.kind)}` +
          (kind === undefined ? ' (add --schedule to change it)' : ''),
      );
    }
  }
  return { ...start, ...Object.fromEntries(given) } as LearningRateSchedule;
}
