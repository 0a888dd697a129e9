import { MnistError } from '@mnist/core';

/**
 * The package was built without its pretrained weights (`weights/model.json`): they are produced by
 * the trainer (`pnpm train`), which writes them into `packages/model/weights`.
 */
export class PretrainedWeightsMissingError extends MnistError {}
