import { MnistError } from '@mnist/core';

const name = 'RecipeError';
const marker = Symbol.for(`mnist-ts.error.${name}`);

/**
 * A recipe that cannot be used: a name that is not one of the shipped recipes (the message lists
 * them), or a recipe file that cannot be read or does not hold `{ description, model, training }`
 * with a valid model and training config (the message names the file and the field).
 */
export class RecipeError extends MnistError {
  readonly [marker] = true;
  override readonly name: string = name;

  /** Whether `error` is a `RecipeError` (or a subclass), across package copies. */
  static override isInstance(error: unknown): error is RecipeError {
    return MnistError.hasMarker(error, marker);
  }
}
