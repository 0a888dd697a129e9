import { MnistError } from '@mnist/core';

/** A model that could not be saved; the folder is left as it was or without a `model.json`, never half-written. */
export class ModelSaveError extends MnistError {}
