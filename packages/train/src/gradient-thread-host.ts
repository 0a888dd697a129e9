import type { GradientThreadMessage, GradientThreadRequest } from './gradient-thread-protocol.js';

/**
 * One started gradient thread as the pool talks to it, whatever runs it (a Node worker thread, a
 * browser Web Worker): requests go out with `postMessage`, replies and failures come back through
 * the listeners. The pool sends `{ type: 'init' }` first and waits for `ready`.
 */
export interface GradientThreadEndpoint {
  /** Sends a request; `SharedArrayBuffer`s in it are shared, not copied. */
  postMessage(message: GradientThreadRequest): void;
  /** Calls `listener` with every message the thread sends. */
  onMessage(listener: (message: GradientThreadMessage) => void): void;
  /**
   * Calls `listener` once when the thread can no longer answer (it crashed, its script could not
   * load, it exited), with a reason in a few words and the underlying error if there is one.
   */
  onFailure(listener: (reason: string, cause?: unknown) => void): void;
  /** Stops the thread. */
  terminate(): Promise<void>;
}

/**
 * Starts the gradient threads of a multi-threaded run (`TrainingConfig.threads` above 1): the one
 * thing that differs between Node (`worker_threads`, the default) and a browser
 * (`webWorkerThreadHost`); the protocol, the pool and the step runner are the same on both. A
 * thread it starts must serve the protocol with `serveGradientThread` of `@mnist/train`.
 */
export interface GradientThreadHost {
  /** Starts helper thread `index` (0-based) and returns its endpoint, before it is ready. */
  spawn(index: number): GradientThreadEndpoint | Promise<GradientThreadEndpoint>;
  /**
   * Sent to every thread with its `init` (structured-cloned) and handed to `serveGradientThread`'s
   * `setUp` before the thread's backend starts: what the app's thread script needs first, e.g.
   * where the WASM binaries are.
   */
  readonly setup?: unknown;
}
