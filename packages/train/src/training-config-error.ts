import { MnistError } from '@mnist/core';

const name = 'TrainingConfigError';
const marker = Symbol.for(`mnist-ts.error.${name}`);

/**
 * A training config field is missing its expected shape: the message names the field (`batchSize`,
 * `learningRateSchedule.decayRate`, ...), what it accepts and what it got.
 */
export class TrainingConfigError extends MnistError {
  readonly [marker] = true;
  override readonly name: string = name;

  /** Whether `error` is a `TrainingConfigError` (or a subclass), across package copies. */
  static override isInstance(error: unknown): error is TrainingConfigError {
    return MnistError.hasMarker(error, marker);
  }
}
