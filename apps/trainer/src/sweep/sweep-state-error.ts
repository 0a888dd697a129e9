import { MnistError } from '@mnist/core';
import { CliUsageError } from '../cli-usage-error.js';

const name = 'SweepStateError';
const marker = Symbol.for(`mnist-ts.error.${name}`);

/**
 * The `--out` folder holds a sweep.json that cannot be resumed: unreadable, or made with other
 * settings (epochs, seed, data...) whose trials would not be comparable. Exits with status 2.
 */
export class SweepStateError extends CliUsageError {
  readonly [marker] = true;
  override readonly name: string = name;

  /** Whether `error` is a `SweepStateError` (or a subclass), across package copies. */
  static override isInstance(error: unknown): error is SweepStateError {
    return MnistError.hasMarker(error, marker);
  }
}
