import { MnistError } from '@mnist/core';

const name = 'UnsupportedBackendError';
const marker = Symbol.for(`mnist-ts.error.${name}`);

/**
 * `train` found no tfjs backend it can train on: none active, one other than `wasm`, `cpu` and
 * `tensorflow` (tfjs-node), or `wasm` without the training kernels of `@mnist/wasm-kernels`. The
 * message names it; `selectBackend` of `@mnist/runtime`, called once at start-up, sets one up.
 */
export class UnsupportedBackendError extends MnistError {
  readonly [marker] = true;
  override readonly name: string = name;

  /** Whether `error` is an `UnsupportedBackendError` (or a subclass), across package copies. */
  static override isInstance(error: unknown): error is UnsupportedBackendError {
    return MnistError.hasMarker(error, marker);
  }
}
