import { MnistError } from '@mnist/core';

/**
 * A `resumeFrom` state that does not fit the run it is handed to: another seed, batch size or
 * training set size, weights of another model, or an unknown format. The message names the field.
 */
export class TrainingStateError extends MnistError {}
