import { MnistError } from '@mnist/core';

/**
 * The images handed to `train` or `evaluateModel` do not fit: an empty set, labels that do not
 * match the image count, or images of another size than the model's input.
 */
export class TrainingDataError extends MnistError {}
