// Entry point of a gradient thread in Node (a `node:worker_threads` worker started by the default
// host, `nodeWorkerThreadHost`): the protocol is served by `serveGradientThread`, as in a browser's
// Web Worker.
import { parentPort } from 'node:worker_threads';
import { serveGradientThread } from './serve-gradient-thread.js';

serveGradientThread(parentPort!);
