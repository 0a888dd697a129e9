import { MnistError } from '@mnist/core';

/**
 * A mistake on the command line or in the `--config` file: unknown flag, bad value, missing file.
 * The CLI prints the message and exits with status 2 without training.
 */
export class CliUsageError extends MnistError {
  /** Process exit status for usage errors, as most Unix tools use it. */
  readonly exitCode = 2;
}
