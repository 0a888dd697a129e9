import { MnistError } from '@mnist/core';

const name = 'CheckpointError';
const marker = Symbol.for(`mnist-ts.error.${name}`);

/**
 * A checkpoint cannot be read back: missing, damaged (bad magic, checksum or layout) or from an
 * incompatible trainer. The message names the file and what was expected.
 */
export class CheckpointError extends MnistError {
  readonly [marker] = true;
  override readonly name: string = name;

  /** Whether `error` is a `CheckpointError` (or a subclass), across package copies. */
  static override isInstance(error: unknown): error is CheckpointError {
    return MnistError.hasMarker(error, marker);
  }
}
