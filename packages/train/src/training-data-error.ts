import { MnistError } from '@mnist/core';

const name = 'TrainingDataError';
const marker = Symbol.for(`mnist-ts.error.${name}`);

/**
 * The images handed to `train` or its `measure` tool do not fit: an empty set, labels that do not
 * match the image count, or images of another size than the model's input.
 */
export class TrainingDataError extends MnistError {
  readonly [marker] = true;
  override readonly name: string = name;

  /** Whether `error` is a `TrainingDataError` (or a subclass), across package copies. */
  static override isInstance(error: unknown): error is TrainingDataError {
    return MnistError.hasMarker(error, marker);
  }
}
