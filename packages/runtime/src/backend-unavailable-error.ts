import { MnistError } from '@mnist/core';

const name = 'BackendUnavailableError';
const marker = Symbol.for(`mnist-ts.error.${name}`);

/**
 * The backend asked for explicitly (`node`, `wasm` or `cpu`) cannot be loaded or initialized here.
 * The message says how to install it; `cause` holds the loader's own error.
 */
export class BackendUnavailableError extends MnistError {
  readonly [marker] = true;
  override readonly name: string = name;

  /** Whether `error` is a `BackendUnavailableError` (or a subclass), across package copies. */
  static override isInstance(error: unknown): error is BackendUnavailableError {
    return MnistError.hasMarker(error, marker);
  }
}
