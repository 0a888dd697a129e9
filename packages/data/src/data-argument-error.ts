import { MnistError } from '@mnist/core';

/**
 * Thrown when a preprocessing or batching function gets an argument it cannot use (a batch size
 * of 0, a validation fraction outside [0, 1), an index past the end of the set, ...). The message
 * names the argument and the accepted range.
 */
export class DataArgumentError extends MnistError {}
