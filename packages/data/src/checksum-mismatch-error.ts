import { MnistError, type MnistErrorOptions } from '@mnist/core';
import { DownloadError } from './download-error.js';

const name = 'ChecksumMismatchError';
const marker = Symbol.for(`mnist-ts.error.${name}`);

/**
 * Thrown when a downloaded file's SHA-256 is not the expected one. The bad file has already been
 * deleted when this is thrown; nothing of it is left in the cache folder.
 */
export class ChecksumMismatchError extends DownloadError {
  readonly [marker] = true;
  override readonly name: string = name;

  /** The SHA-256 (hex) the file should have had. */
  readonly expected: string;
  /** The SHA-256 (hex) it had. */
  readonly actual: string;

  constructor(
    url: string,
    expected: string,
    actual: string,
    message: string,
    options: MnistErrorOptions = {},
  ) {
    super(url, message, options);
    this.expected = expected;
    this.actual = actual;
  }

  /** Whether `error` is a `ChecksumMismatchError` (or a subclass), across package copies. */
  static override isInstance(error: unknown): error is ChecksumMismatchError {
    return MnistError.hasMarker(error, marker);
  }
}
