import { MnistError } from '@mnist/core';

/**
 * What the benchmark throws: a bad flag, a child process that failed or printed no result, or two
 * sides whose models do not have the same number of parameters.
 */
export class BenchError extends MnistError {}
