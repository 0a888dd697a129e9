import type { GradientThreadEndpoint, GradientThreadHost } from './gradient-thread-host.js';
import type { GradientThreadMessage } from './gradient-thread-protocol.js';

/**
 * What `webWorkerThreadHost` needs of a browser `Worker` (a structural type, so the package's
 * declarations do not depend on the DOM library).
 */
export interface WebWorkerLike {
  postMessage(message: unknown): void;
  /** `message` events carry the reply in `data`; `error` events a `message`. */
  addEventListener(type: 'message' | 'messageerror' | 'error', listener: (event: Event) => void): void;
  terminate(): void;
}

/** Options of `webWorkerThreadHost`. */
export interface WebWorkerThreadHostOptions {
  /** Structured-cloneable; given to the worker script's `setUp` (see `GradientThreadHost.setup`). */
  setup?: unknown;
}

/**
 * A host for a browser: each gradient thread is the Web Worker `createWorker(index)` returns, whose
 * script calls `serveGradientThread(self, { setUp })`; `options.setup` reaches that `setUp` before
 * the worker's backend starts (e.g. `{ wasmDir }` for `setWasmPaths`). A bundler must see the worker's script, so the app creates it, typically
 * `new Worker(new URL('./gradient-thread.ts', import.meta.url), { type: 'module' })`. The weights,
 * gradients and images go to the workers as `SharedArrayBuffer`s, which a page has only when it is
 * cross-origin isolated (COOP/COEP headers; `crossOriginIsolated` is then true); without, train with
 * `threads: 1`. Dedicated workers started from a worker are fine (Chromium, Firefox, Safari 15.4+).
 */
export function webWorkerThreadHost(
  createWorker: (index: number) => WebWorkerLike,
  options: WebWorkerThreadHostOptions = {},
): GradientThreadHost {
  return {
    ...(options.setup === undefined ? {} : { setup: options.setup }),
    spawn(index) {
      const worker = createWorker(index);
      const endpoint: GradientThreadEndpoint = {
        postMessage: (message) => worker.postMessage(message),
        onMessage(listener) {
          worker.addEventListener('message', (event) =>
            listener((event as Event & { data: GradientThreadMessage }).data),
          );
        },
        onFailure(listener) {
          worker.addEventListener('error', (event) => {
            // Handled here: reported as the run's GradientThreadError, not as an uncaught error.
            event.preventDefault();
            const message = (event as Event & { message?: string }).message;
            listener(`crashed: ${message || 'its script could not be loaded or run'}`, event);
          });
          worker.addEventListener('messageerror', (event) =>
            listener('sent a message that could not be read', event),
          );
        },
        async terminate() {
          worker.terminate();
        },
      };
      return endpoint;
    },
  };
}
