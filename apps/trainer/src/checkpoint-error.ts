import { MnistError } from '@mnist/core';

/**
 * A checkpoint cannot be read back: missing, damaged (bad magic, checksum or layout) or from an
 * incompatible trainer. The message names the file and what was expected.
 */
export class CheckpointError extends MnistError {}
