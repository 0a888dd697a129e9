import { MnistError } from '@mnist/core';

const name = 'OutputDirError';
const marker = Symbol.for(`mnist-ts.error.${name}`);

/** The `--out` folder cannot be created or written; reported before any training starts. */
export class OutputDirError extends MnistError {
  readonly [marker] = true;
  override readonly name: string = name;

  /** Whether `error` is a `OutputDirError` (or a subclass), across package copies. */
  static override isInstance(error: unknown): error is OutputDirError {
    return MnistError.hasMarker(error, marker);
  }
}
