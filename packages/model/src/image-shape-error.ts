import { MnistError } from '@mnist/core';

const name = 'ImageShapeError';
const marker = Symbol.for(`mnist-ts.error.${name}`);

/** Images passed to `predictDigits` that are not `[n,28,28,1]`, `[n,28,28]` or `[28,28]`. */
export class ImageShapeError extends MnistError {
  readonly [marker] = true;
  override readonly name: string = name;

  /** Whether `error` is a `ImageShapeError` (or a subclass), across package copies. */
  static override isInstance(error: unknown): error is ImageShapeError {
    return MnistError.hasMarker(error, marker);
  }
}
