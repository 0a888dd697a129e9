import { env, getBackend, setBackend } from '@tensorflow/tfjs-core';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

/** The backend the demo ended up on, and why. */
export interface BackendStatus {
  name: 'wasm' | 'cpu';
  /** WASM only: whether the SIMD build of the backend runs. */
  simd: boolean;
  /** Why the demo is not on WASM, for the page to show; `null` on WASM. */
  notice: string | null;
}

/**
 * Starts the TensorFlow.js WASM backend, with its `.wasm` binaries fetched from `wasmDir` (a URL
 * relative to the page, where the build copies them), and falls back to the plain JavaScript `cpu`
 * backend, loaded only then, when WASM cannot start. The backend picks its SIMD build by itself when
 * the browser supports SIMD. Its threaded build, which tfjs would pick on a cross-origin isolated
 * page, is turned off: its thread pool would compete with the from-scratch view's training workers
 * for the cores, for a one-digit prediction that takes a millisecond on one thread.
 */
export async function initBackend(
  wasmDir: string,
  options: { forceCpu?: boolean } = {},
): Promise<BackendStatus> {
  let reason = 'it was turned off with ?backend=cpu';
  if (!options.forceCpu) {
    try {
      setWasmPaths(new URL(wasmDir, document.baseURI).href);
      env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
      if (await setBackend('wasm')) {
        return { name: 'wasm', simd: Boolean(await env().getAsync('WASM_HAS_SIMD_SUPPORT')), notice: null };
      }
      reason = 'its module did not start';
    } catch (error) {
      reason = (error as Error).message;
    }
  }
  await import('@tensorflow/tfjs-backend-cpu');
  if (!(await setBackend('cpu')) || getBackend() !== 'cpu') {
    throw new Error('Neither the WASM nor the cpu backend of TensorFlow.js could start');
  }
  return {
    name: 'cpu',
    simd: false,
    notice: `WebAssembly could not start (${reason}), so the model runs on the slower JavaScript backend.`,
  };
}
