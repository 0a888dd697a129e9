import { MnistError } from '@mnist/core';

const name = 'ModelSaveError';
const marker = Symbol.for(`mnist-ts.error.${name}`);

/** A model that could not be saved; the folder is left as it was or without a `model.json`, never half-written. */
export class ModelSaveError extends MnistError {
  readonly [marker] = true;
  override readonly name: string = name;

  /** Whether `error` is a `ModelSaveError` (or a subclass), across package copies. */
  static override isInstance(error: unknown): error is ModelSaveError {
    return MnistError.hasMarker(error, marker);
  }
}
