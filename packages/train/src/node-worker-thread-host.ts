import type { GradientThreadEndpoint, GradientThreadHost } from './gradient-thread-host.js';
import type { GradientThreadMessage } from './gradient-thread-protocol.js';

/**
 * Where the Node worker entry is: `dist/gradient-worker.js` beside the built package. Under vitest
 * this module runs from `src/*.ts`, which Node cannot start as a worker, so the built file is used
 * (`pnpm build` makes it; `pnpm test` builds first). Internal.
 */
export function gradientWorkerUrl(): URL {
  return import.meta.url.endsWith('.ts')
    ? new URL('../dist/gradient-worker.js', import.meta.url)
    : new URL('./gradient-worker.js', import.meta.url);
}

interface NodeWorker {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (message: GradientThreadMessage) => void): void;
  on(event: 'error', listener: (error: Error) => void): void;
  on(event: 'exit', listener: (code: number) => void): void;
  terminate(): Promise<number>;
  unref(): void;
}

/**
 * The default host: each gradient thread is a `node:worker_threads` worker running the package's
 * `gradient-worker.js`. `node:worker_threads` is imported when the first thread starts, so a
 * browser bundle of `@mnist/train` never loads it. Internal.
 */
export function nodeWorkerThreadHost(): GradientThreadHost {
  return {
    async spawn() {
      const { Worker } = await import('node:worker_threads');
      const url = gradientWorkerUrl();
      const worker = new Worker(url) as unknown as NodeWorker;
      // A thread must never keep the process alive on its own: training terminates them, and a
      // crash of the main thread should end the process.
      worker.unref();
      const endpoint: GradientThreadEndpoint = {
        postMessage: (message) => worker.postMessage(message),
        onMessage: (listener) => worker.on('message', listener),
        onFailure(listener) {
          worker.on('error', (error) => {
            const missing = /Cannot find module|ERR_MODULE_NOT_FOUND/.test(error.message)
              ? ` (is @mnist/train built? \`pnpm build\` makes ${url.pathname}; or train with threads: 1)`
              : '';
            listener(`crashed: ${error.message}${missing}`, error);
          });
          worker.on('exit', (code) => listener(`exited with code ${code}`));
        },
        async terminate() {
          await worker.terminate();
        },
      };
      return endpoint;
    },
  };
}
