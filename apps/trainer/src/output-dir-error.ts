import { MnistError } from '@mnist/core';

/** The `--out` folder cannot be created or written; reported before any training starts. */
export class OutputDirError extends MnistError {}
