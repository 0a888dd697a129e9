import { MnistError } from '@mnist/core';

const name = 'RunLockedError';
const marker = Symbol.for(`mnist-ts.error.${name}`);

/**
 * Another trainer that is still running holds the `--out` folder's lock file (or the lock cannot
 * be read to tell who does). The message names the running trainer (pid, start time, command) and
 * the lock file; the CLI exits with status 1 before loading any data.
 */
export class RunLockedError extends MnistError {
  readonly [marker] = true;
  override readonly name: string = name;

  /** Whether `error` is a `RunLockedError` (or a subclass), across package copies. */
  static override isInstance(error: unknown): error is RunLockedError {
    return MnistError.hasMarker(error, marker);
  }
}
