import { MnistError } from '@mnist/core';
import { CliUsageError } from '../cli-usage-error.js';

const name = 'SearchSpaceError';
const marker = Symbol.for(`mnist-ts.error.${name}`);

/**
 * A bad search space: an empty or malformed list, a value out of range, a duplicate, an unknown
 * parameter, or a combination the model cannot be built from. Exits with status 2 like any bad flag.
 */
export class SearchSpaceError extends CliUsageError {
  readonly [marker] = true;
  override readonly name: string = name;

  /** Whether `error` is a `SearchSpaceError` (or a subclass), across package copies. */
  static override isInstance(error: unknown): error is SearchSpaceError {
    return MnistError.hasMarker(error, marker);
  }
}
