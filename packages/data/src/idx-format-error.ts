import { MnistError, type MnistErrorOptions } from '@mnist/core';

/**
 * Thrown when bytes are not a valid MNIST IDX file: bad magic number, truncated or trailing data,
 * unexpected dimensions, a label outside 0-9, a broken gzip stream, or image and label files that
 * do not match. `fileName` names the offending file; the message says what was expected.
 */
export class IdxFormatError extends MnistError {
  /** The file the error is about, as passed by the caller. */
  readonly fileName: string;

  constructor(fileName: string, message: string, options: MnistErrorOptions = {}) {
    super(`${fileName}: ${message}`, options);
    this.fileName = fileName;
  }
}
