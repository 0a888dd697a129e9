import type { MnistErrorOptions } from '@mnist/core';
import { DataSourceError } from './data-source-error.js';

/**
 * Thrown when a download fails for good (host unreachable, HTTP error, connection dropped on every
 * attempt). `url` is the file that failed; the message names it and suggests the offline default.
 */
export class DownloadError extends DataSourceError {
  /** The URL that could not be downloaded. */
  readonly url: string;

  constructor(url: string, message: string, options: MnistErrorOptions = {}) {
    super(message, options);
    this.url = url;
  }
}
