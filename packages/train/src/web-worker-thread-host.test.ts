import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { TrainValidationSplit } from '@mnist/data';
import { createModel } from '@mnist/model';
import { memory } from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { GradientThreadError } from './gradient-thread-error.js';
import type { GradientThreadHost } from './gradient-thread-host.js';
import type { GradientThreadRequest } from './gradient-thread-protocol.js';
import { startGradientThreads } from './gradient-threads.js';
import { gradientWorkerUrl, nodeWorkerThreadHost } from './node-worker-thread-host.js';
import { figures, loadTinySplit, TINY_MODEL, trainTiny, weightValues } from './test-support.js';
import { type WebWorkerLike, webWorkerThreadHost } from './web-worker-thread-host.js';

/**
 * A browser `Worker` as far as `webWorkerThreadHost` can tell (an EventTarget with `postMessage`
 * and `terminate`, `message` events carrying `data`, cancelable `error` events with a `message`),
 * backed by a Node worker thread running `script`: the built gradient worker unless told otherwise.
 * Node has no Web Workers; this runs the browser host's code over the same protocol.
 */
class WebWorkerOverNode extends EventTarget implements WebWorkerLike {
  readonly sent: GradientThreadRequest[] = [];
  readonly errorEvents: Event[] = [];
  private readonly worker: Worker;

  constructor(script?: string | URL) {
    super();
    this.worker =
      script === undefined
        ? new Worker(gradientWorkerUrl())
        : typeof script === 'string'
          ? new Worker(script, { eval: true })
          : new Worker(script);
    this.worker.unref();
    this.worker.on('message', (data) => this.dispatchEvent(new MessageEvent('message', { data })));
    this.worker.on('error', (error) => {
      const event = Object.assign(new Event('error', { cancelable: true }), { message: error.message });
      this.errorEvents.push(event);
      this.dispatchEvent(event);
    });
  }

  postMessage(message: unknown): void {
    this.sent.push(message as GradientThreadRequest);
    this.worker.postMessage(message);
  }

  terminate(): void {
    void this.worker.terminate();
  }
}

let data: TrainValidationSplit;
beforeAll(async () => {
  // 250 training images in batches of 32 (seven full batches and one of 26), 50 for validation.
  data = await loadTinySplit(250, 50);
}, 60_000);

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('gradient threads on Web Workers (webWorkerThreadHost)', { timeout: 120_000 }, () => {
  it('trains to the same bits as the default Node host, with init as each worker’s first message', async () => {
    const workers: WebWorkerOverNode[] = [];
    const indices: number[] = [];
    const host = webWorkerThreadHost((index) => {
      indices.push(index);
      const worker = new WebWorkerOverNode();
      workers.push(worker);
      return worker;
    });
    const config = { epochs: 2, batchSize: 32, seed: 5, threads: 3, earlyStopping: null };
    const before = memory().numTensors;
    const web = await trainTiny(data, config, { threadHost: host });
    const node = await trainTiny(data, config);
    expect(web.result.threads).toBe(3);
    expect(indices).toEqual([0, 1]);
    for (const worker of workers) {
      expect(worker.sent[0]?.type).toBe('init');
      expect(worker.sent.filter((message) => message.type === 'init')).toHaveLength(1);
      expect(worker.sent.filter((message) => message.type === 'step').length).toBeGreaterThanOrEqual(16);
    }
    // Dropout on (TINY_MODEL's 0.25): every mask and every sum must come out the same.
    expect(weightValues(web.model)).toEqual(weightValues(node.model));
    expect(figures(web.result.history)).toEqual(figures(node.result.history));
    web.model.dispose();
    node.model.dispose();
    expect(memory().numTensors).toBe(before);
  });

  it('hands the host’s setup to the thread script’s setUp before its backend starts', async () => {
    // A thread script as an app writes one: serveGradientThread with a setUp (here checking what it got).
    const dir = await mkdtemp(join(tmpdir(), 'gradient-thread-'));
    const script = join(dir, 'thread.mjs');
    const trainIndex = new URL('./index.js', gradientWorkerUrl()).href;
    await writeFile(
      script,
      `import { parentPort } from 'node:worker_threads';
import { serveGradientThread } from '${trainIndex}';
serveGradientThread(parentPort, {
  setUp(setup) {
    if (setup?.wasmDir !== 'https://example.test/wasm/') throw new Error('setUp got ' + JSON.stringify(setup));
  },
});
`,
    );
    const model = createModel(TINY_MODEL, { seed: 1 });
    try {
      const start = (setup: unknown) => {
        const host = webWorkerThreadHost(() => new WebWorkerOverNode(pathToFileURL(script)), { setup });
        return startGradientThreads(model, 'wasm', 1, data.train, 0, null, host);
      };
      const threads = await start({ wasmDir: 'https://example.test/wasm/' });
      threads.publishWeights();
      const shard = await threads.computeShard(0, {
        indices: Uint32Array.of(0, 1, 2, 3),
        shard: 1,
        seed: 1,
        epoch: 0,
        batch: 0,
      });
      expect(shard.loss).toBeGreaterThan(0);
      await threads.terminate();
      await expect(start({ wasmDir: './elsewhere/' })).rejects.toThrow(
        /^gradient thread 1 of 1: setUp got \{"wasmDir":"\.\/elsewhere\/"\}$/,
      );
    } finally {
      model.dispose();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('fails with a GradientThreadError naming the thread when a worker’s script throws, and handles the error event', async () => {
    const model = createModel(TINY_MODEL, { seed: 1 });
    const worker = new WebWorkerOverNode('throw new Error("no gradient thread here")');
    const host = webWorkerThreadHost(() => worker);
    const failure = startGradientThreads(model, 'wasm', 1, data.train, 0, null, host);
    await expect(failure).rejects.toThrow(GradientThreadError);
    await expect(failure).rejects.toThrow(/^gradient thread 1 of 1: crashed: no gradient thread here$/);
    expect(worker.errorEvents).toHaveLength(1);
    expect(worker.errorEvents[0]!.defaultPrevented).toBe(true);
    model.dispose();
  });

  it('fails with a GradientThreadError when the host cannot start a thread, stopping the ones it did start', async () => {
    const model = createModel(TINY_MODEL, { seed: 1 });
    const terminated: number[] = [];
    // Thread 1 starts on the Node host; its exit when stopped fails its pending start, which must
    // not surface as an unhandled rejection (vitest fails the run on one).
    const node = nodeWorkerThreadHost();
    const host: GradientThreadHost = {
      async spawn(index) {
        if (index === 1) throw new Error('Worker is not defined');
        const endpoint = await node.spawn(index);
        return {
          ...endpoint,
          terminate: async () => {
            terminated.push(index);
            await endpoint.terminate();
          },
        };
      },
    };
    const failure = startGradientThreads(model, 'wasm', 2, data.train, 0, null, host);
    await expect(failure).rejects.toThrow(/^gradient thread 2 of 2: could not start: Worker is not defined$/);
    expect(terminated).toEqual([0]);
    model.dispose();
  });

  it('says that SharedArrayBuffer needs a cross-origin isolated page when there is none', async () => {
    const model = createModel(TINY_MODEL, { seed: 1 });
    const spawn = vi.fn();
    vi.stubGlobal('SharedArrayBuffer', undefined);
    const failure = startGradientThreads(model, 'wasm', 1, data.train, 0, null, { spawn });
    await expect(failure).rejects.toThrow(GradientThreadError);
    await expect(failure).rejects.toThrow(
      /threads: 2 needs SharedArrayBuffer.*cross-origin isolated.*Cross-Origin-Embedder-Policy: require-corp/,
    );
    expect(spawn).not.toHaveBeenCalled();
    model.dispose();
  });
});
