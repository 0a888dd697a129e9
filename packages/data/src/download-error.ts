import { MnistError, type MnistErrorOptions } from '@mnist/core';
import { DataSourceError } from './data-source-error.js';

const name = 'DownloadError';
const marker = Symbol.for(`mnist-ts.error.${name}`);

/**
 * Thrown when a download fails for good (host unreachable, HTTP error, connection dropped on every
 * attempt). `url` is the file that failed; the message names it and suggests the offline default.
 */
export class DownloadError extends DataSourceError {
  readonly [marker] = true;
  override readonly name: string = name;

  /** The URL that could not be downloaded. */
  readonly url: string;

  constructor(url: string, message: string, options: MnistErrorOptions = {}) {
    super(message, options);
    this.url = url;
  }

  /** Whether `error` is a `DownloadError` (or a subclass), across package copies. */
  static override isInstance(error: unknown): error is DownloadError {
    return MnistError.hasMarker(error, marker);
  }
}
