import { MnistError } from '@mnist/core';

const name = 'TrainingStateError';
const marker = Symbol.for(`mnist-ts.error.${name}`);

/**
 * A `resumeFrom` state that does not fit the run it is handed to: another seed, batch size or
 * training set size, weights of another model, or an unknown format. The message names the field.
 */
export class TrainingStateError extends MnistError {
  readonly [marker] = true;
  override readonly name: string = name;

  /** Whether `error` is a `TrainingStateError` (or a subclass), across package copies. */
  static override isInstance(error: unknown): error is TrainingStateError {
    return MnistError.hasMarker(error, marker);
  }
}
