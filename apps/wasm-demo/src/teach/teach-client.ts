import type { TeachReply, TeachRequest } from './teach-protocol.js';

/** What a finished fine-tune hands back. */
export type TaughtReply = Extract<TeachReply, { type: 'taught' }>;
/** Progress of a running fine-tune. */
export type TeachProgress = Extract<TeachReply, { type: 'progress' }>;

let worker: Worker | undefined;
let running: Promise<TaughtReply> | undefined;

/**
 * Runs one fine-tune in the teach worker, started on the first call (Vite bundles the worker and
 * everything it imports, training code and all, as a chunk of its own that the page fetches only
 * then) and kept for later calls, which then skip loading the backend and the data. One at a
 * time: a call while one runs is refused.
 *
 * @throws Error with the worker's message when the fine-tune fails or the worker cannot start.
 */
export function teachInWorker(
  request: Omit<TeachRequest, 'type'>,
  onProgress: (progress: TeachProgress) => void,
): Promise<TaughtReply> {
  if (running !== undefined) return Promise.reject(new Error('a fine-tune is already running'));
  worker ??= new Worker(new URL('./teach-worker.ts', import.meta.url), { type: 'module', name: 'teach' });
  const current = worker;
  running = new Promise<TaughtReply>((resolve, reject) => {
    current.onmessage = (event: MessageEvent<TeachReply>) => {
      const reply = event.data;
      if (reply.type === 'progress') onProgress(reply);
      else if (reply.type === 'taught') resolve(reply);
      else reject(new Error(`teaching failed: ${reply.message}`));
    };
    current.onerror = (event) => {
      event.preventDefault();
      // A worker that failed to start is of no further use; the next call starts a fresh one.
      worker = undefined;
      current.terminate();
      reject(new Error(`the teach worker failed: ${event.message || 'it could not start'}`));
    };
    const message: TeachRequest = { type: 'teach', ...request };
    current.postMessage(message);
  }).finally(() => {
    running = undefined;
  });
  return running;
}
