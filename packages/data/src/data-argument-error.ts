import { MnistError } from '@mnist/core';

const name = 'DataArgumentError';
const marker = Symbol.for(`mnist-ts.error.${name}`);

/**
 * Thrown when a preprocessing or batching function gets an argument it cannot use (a batch size
 * of 0, a validation fraction outside [0, 1), an index past the end of the set, ...). The message
 * names the argument and the accepted range.
 */
export class DataArgumentError extends MnistError {
  readonly [marker] = true;
  override readonly name: string = name;

  /** Whether `error` is a `DataArgumentError` (or a subclass), across package copies. */
  static override isInstance(error: unknown): error is DataArgumentError {
    return MnistError.hasMarker(error, marker);
  }
}
