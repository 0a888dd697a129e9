import type { BackendName } from '@mnist/runtime';
import { getBackend, getKernel, ready } from '@tensorflow/tfjs-core';
import { UnsupportedBackendError } from './unsupported-backend-error.js';

const TRAINING_BACKENDS: readonly string[] = ['tensorflow', 'wasm', 'cpu'] satisfies BackendName[];
const HOW = "activate one at start-up with selectBackend('auto' | 'node' | 'wasm' | 'cpu') of @mnist/runtime";

/**
 * The active tfjs backend, checked to be one `train` can train on; never switches it. Waits for a
 * backend that is still initializing (`tf.ready()`), as any tfjs call would. Internal.
 *
 * @throws {UnsupportedBackendError} naming the backend and how to set one up.
 */
export async function activeTrainingBackend(): Promise<BackendName> {
  try {
    await ready();
  } catch (cause) {
    throw new UnsupportedBackendError(`train: no tfjs backend could be initialized; ${HOW}`, { cause });
  }
  const name = getBackend();
  if (!TRAINING_BACKENDS.includes(name)) {
    throw new UnsupportedBackendError(
      `train: the active tfjs backend is '${name}'; it trains on 'wasm', 'cpu' or 'tensorflow' (tfjs-node): ${HOW}`,
    );
  }
  // Stock tfjs-wasm cannot compute a convolution's filter gradient: without the kernels of
  // @mnist/wasm-kernels the first step would fail deep inside tfjs.
  if (name === 'wasm' && getKernel('Conv2DBackpropFilter', 'wasm') === undefined) {
    throw new UnsupportedBackendError(
      `train: the active backend is 'wasm' without the training kernels of @mnist/wasm-kernels; ${HOW}, ` +
        'which registers them (or call registerWasmTrainingKernels() yourself)',
    );
  }
  return name as BackendName;
}
