import { MnistError } from '@mnist/core';

const name = 'ModelConfigError';
const marker = Symbol.for(`mnist-ts.error.${name}`);

/**
 * A model config that cannot build a working CNN (a bad field, a kernel larger than its feature map,
 * more pooling than 28x28 allows, ...). Thrown by `resolveModelConfig` and `createModel` before any
 * tensor is made; the message names the field and what was expected.
 */
export class ModelConfigError extends MnistError {
  readonly [marker] = true;
  override readonly name: string = name;

  /** Whether `error` is a `ModelConfigError` (or a subclass), across package copies. */
  static override isInstance(error: unknown): error is ModelConfigError {
    return MnistError.hasMarker(error, marker);
  }
}
