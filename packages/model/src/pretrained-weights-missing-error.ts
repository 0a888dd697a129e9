import { MnistError } from '@mnist/core';

const name = 'PretrainedWeightsMissingError';
const marker = Symbol.for(`mnist-ts.error.${name}`);

/**
 * The package was built without its pretrained weights (`weights/model.json`): they are produced by
 * the trainer (`pnpm train`), which writes them into `packages/model/weights`.
 */
export class PretrainedWeightsMissingError extends MnistError {
  readonly [marker] = true;
  override readonly name: string = name;

  /** Whether `error` is a `PretrainedWeightsMissingError` (or a subclass), across package copies. */
  static override isInstance(error: unknown): error is PretrainedWeightsMissingError {
    return MnistError.hasMarker(error, marker);
  }
}
