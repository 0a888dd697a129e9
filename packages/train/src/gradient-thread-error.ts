import { MnistError } from '@mnist/core';

/**
 * A gradient thread (see `TrainingConfig.threads`) could not start or failed during a step; the
 * message says which thread and why. Training stops; `threads: 1` trains without them.
 */
export class GradientThreadError extends MnistError {}
