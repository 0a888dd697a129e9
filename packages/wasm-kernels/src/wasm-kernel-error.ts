const name = 'WasmKernelError';
const marker = Symbol.for(`mnist-ts.error.${name}`);
// The mnist-ts base marker (the one `MnistError.isInstance` checks), set by key rather than by
// extending `MnistError`, so this package needs tfjs alone and any tfjs user can lift it out.
const mnistErrorMarker = Symbol.for('mnist-ts.error');

/** Options of a `WasmKernelError`: the underlying error, kept for debugging. */
export interface WasmKernelErrorOptions {
  cause?: unknown;
}

/**
 * Thrown when a training kernel cannot run on the backend it was handed: the tfjs WASM backend is
 * not loaded, one of the stock kernels ours are built on is missing, or an input has a dtype the
 * kernel does not support.
 *
 * `WasmKernelError.isInstance(e)` checks a `Symbol.for` marker, so it holds across two installed
 * copies of this package; in an mnist-ts app `MnistError.isInstance(e)` is true for it as well.
 */
export class WasmKernelError extends Error {
  readonly [marker] = true;
  readonly [mnistErrorMarker] = true;
  override readonly name: string = name;

  constructor(message: string, options: WasmKernelErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
  }

  /** Whether `error` is a `WasmKernelError`, across package copies. */
  static isInstance(error: unknown): error is WasmKernelError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[marker] === true;
  }
}
