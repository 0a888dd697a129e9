import { MnistError } from '@mnist/core';

const name = 'CliUsageError';
const marker = Symbol.for(`mnist-ts.error.${name}`);

/**
 * A mistake on the command line or in the `--config` file: unknown flag, bad value, missing file.
 * The CLI prints the message and exits with status 2 without training.
 */
export class CliUsageError extends MnistError {
  readonly [marker] = true;
  override readonly name: string = name;

  /** Process exit status for usage errors, as most Unix tools use it. */
  readonly exitCode = 2;

  /** Whether `error` is a `CliUsageError` (or a subclass), across package copies. */
  static override isInstance(error: unknown): error is CliUsageError {
    return MnistError.hasMarker(error, marker);
  }
}
