import { MnistError } from '@mnist/core';

/**
 * The backend asked for explicitly (`node`, `wasm` or `cpu`) cannot be loaded or initialized here.
 * The message says how to install it; `cause` holds the loader's own error.
 */
export class BackendUnavailableError extends MnistError {}
