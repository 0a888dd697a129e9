import { MnistError } from '@mnist/core';

/**
 * A training config field is missing its expected shape: the message names the field (`batchSize`,
 * `learningRateSchedule.decayRate`, ...), what it accepts and what it got.
 */
export class TrainingConfigError extends MnistError {}
