// How much two threads can get out of this machine at all: our GEMM micro-kernel (in cache, the
// compute-bound case) and a plain 8 MB copy (the memory-bound case), each run on 1 worker thread
// and then on N at once, every worker with its own WASM backend, started together and timed by
// wall clock over the same span. The aggregate rate of N threads over one thread's is the ceiling
// any N-thread training step can reach here: two vCPUs of a virtual machine may share one physical
// core's vector units, or its memory bandwidth, and then no code of ours scales past it.
// Imported by kernels.bench.mjs; run alone with `node bench/parallel-ceiling.mjs` (after `pnpm build`).
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

async function workerMain() {
  await import('@tensorflow/tfjs-backend-wasm');
  const tf = await import('@tensorflow/tfjs-core');
  const { createYardsticks } = await import('./yardsticks.mjs');
  const { setKernelBuild } = await import('../dist/index.js');
  await tf.setBackend('wasm');
  await tf.ready();
  setKernelBuild(workerData.build);
  const backend = tf.backend();
  const { call, work } = createYardsticks(backend)[workerData.kind];
  for (let i = 0; i < 20; i++) call();
  const gate = new Int32Array(workerData.gate);
  Atomics.add(gate, 1, 1);
  Atomics.notify(gate, 1);
  Atomics.wait(gate, 0, 0);
  let calls = 0;
  const t0 = performance.now();
  let elapsed = 0;
  do {
    call();
    calls++;
    elapsed = performance.now() - t0;
  } while (elapsed < workerData.ms);
  parentPort.postMessage({ rate: (work * calls) / (elapsed / 1000) / 1e9 });
}

/** Aggregate rate (GFLOP/s or GB/s) of `threads` workers running `kind` together for `ms`. */
async function aggregateRate(kind, build, threads, ms) {
  const gate = new SharedArrayBuffer(8);
  const flags = new Int32Array(gate);
  const url = fileURLToPath(import.meta.url);
  const workers = Array.from(
    { length: threads },
    () => new Worker(url, { workerData: { kind, build, gate, ms } }),
  );
  const results = workers.map(
    (worker) =>
      new Promise((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      }),
  );
  // Wait (without blocking this thread's event loop) until every worker is warm, then start all.
  while (Atomics.load(flags, 1) < threads) await new Promise((r) => setTimeout(r, 5));
  Atomics.store(flags, 0, 1);
  Atomics.notify(flags, 0);
  const rates = (await Promise.all(results)).map((r) => r.rate);
  await Promise.all(workers.map((w) => w.terminate()));
  return rates.reduce((a, b) => a + b, 0);
}

/**
 * The best of `rounds` aggregate rates on 1 thread and on `threads` threads, interleaved, for the
 * GEMM micro-kernel and the copy, and each ratio (N threads over 1).
 */
export async function measureParallelCeiling({ build, threads = 2, rounds = 3, ms = 1500 }) {
  const out = {};
  for (const kind of ['gemm', 'copy']) {
    let one = 0;
    let many = 0;
    for (let r = 0; r < rounds; r++) {
      one = Math.max(one, await aggregateRate(kind, build, 1, ms));
      many = Math.max(many, await aggregateRate(kind, build, threads, ms));
    }
    out[kind] = {
      unit: kind === 'gemm' ? 'GFLOP/s' : 'GB/s',
      oneThread: one,
      threads,
      allThreads: many,
      ratio: many / one,
    };
  }
  return out;
}

if (!isMainThread) {
  await workerMain();
} else if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { kernelBuild } = await import('../dist/index.js');
  const ceiling = await measureParallelCeiling({ build: process.env.BUILD ?? kernelBuild() });
  for (const [kind, c] of Object.entries(ceiling)) {
    console.log(
      `${kind}: 1 thread ${c.oneThread.toFixed(1)} ${c.unit}, ${c.threads} threads ${c.allThreads.toFixed(1)} ${c.unit}: ${c.ratio.toFixed(2)}x`,
    );
  }
}
