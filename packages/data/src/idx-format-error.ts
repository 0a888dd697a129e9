import { MnistError, type MnistErrorOptions } from '@mnist/core';

const name = 'IdxFormatError';
const marker = Symbol.for(`mnist-ts.error.${name}`);

/**
 * Thrown when bytes are not a valid MNIST IDX file: bad magic number, truncated or trailing data,
 * unexpected dimensions, a label outside 0-9, a broken gzip stream, or image and label files that
 * do not match. `fileName` names the offending file; the message says what was expected.
 */
export class IdxFormatError extends MnistError {
  readonly [marker] = true;
  override readonly name: string = name;

  /** The file the error is about, as passed by the caller. */
  readonly fileName: string;

  constructor(fileName: string, message: string, options: MnistErrorOptions = {}) {
    super(`${fileName}: ${message}`, options);
    this.fileName = fileName;
  }

  /** Whether `error` is a `IdxFormatError` (or a subclass), across package copies. */
  static override isInstance(error: unknown): error is IdxFormatError {
    return MnistError.hasMarker(error, marker);
  }
}
