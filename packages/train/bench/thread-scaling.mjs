// How much faster two threads train than one, beside what this machine gives two independent
// one-thread trainers doing the same slices at once, in one run. `train()` of this package on the
// wasm backend with @mnist/wasm-kernels, the default model, random images of MNIST shape, the work
// per step of `pnpm bench`'s training (plain Adam, no augmentation). For each batch size B, in
// interleaved rounds:
//   one   train() on 1 thread at batch B, alone;
//   two   train() on 2 threads at batch B (each thread computes a slice of B/2), alone;
//   pair  two train() runs on 1 thread at batch B/2, each in its own process, images per second
//         added up; they start their clocks together, and the one that ends first leaves the
//         other its last few steps alone (a slight flattery of the pair).
// two / one is issue 13's two-over-one. pair / one is the same split with nothing shared between
// the two cores (no gradient sum, no Adam while the other waits, no waiting for the slower slice):
// what the two cores give this work, memory and caches shared as they are.
// Run after `pnpm turbo run build --filter=@mnist/train...`: `pnpm --filter @mnist/train bench`.
// Environment: BATCHES=64,128, ROUNDS=3, STEPS=120 (timed, after WARMUP=15), OUT=<file> (default
// bench-results/thread-scaling.json at the repo root).
import { spawn } from 'node:child_process';
import { mkdirSync, readSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const RESULT = 'THREAD_SCALING_RESULT ';
const READY = 'THREAD_SCALING_READY';

if (process.env.THREAD_SCALING_CHILD === '1') {
  await runChild();
} else {
  await runParent();
}

/** One timed `train()` run, as the parent's environment says; prints its figures as one line. */
async function runChild() {
  const { createModel, DEFAULT_MODEL_CONFIG } = await import('@mnist/model');
  const { selectBackend } = await import('@mnist/runtime');
  const { train } = await import('../dist/index.js');
  const { benchTrainingConfig, randomTrainingData } = await import('./bench-run.mjs');
  const threads = Number(process.env.THREADS);
  const batch = Number(process.env.BATCH);
  const steps = Number(process.env.STEPS);
  const warmup = Number(process.env.WARMUP);
  // With WAIT_FOR_START=1 the clock starts only when the parent says so (a line on stdin), so that
  // both trainers of a pair time the same moments.
  const waitForStart = process.env.WAIT_FOR_START === '1';
  await selectBackend('wasm');
  const { kernelBuild } = await import('@mnist/wasm-kernels');

  const data = randomTrainingData((warmup + steps) * batch);
  const model = createModel(DEFAULT_MODEL_CONFIG, { seed: 1 });
  let start = 0;
  let seconds = Number.NaN;
  await train({
    model,
    data,
    config: benchTrainingConfig(batch, threads),
    onEvent: (event) => {
      if (event.type !== 'batchEnd') return;
      if (event.batch === warmup - 1) {
        if (waitForStart) {
          process.stdout.write(`${READY}\n`);
          // Blocks this thread until the parent's line: train() calls onEvent synchronously.
          readSync(0, Buffer.alloc(1));
        }
        start = performance.now();
      }
      if (event.batch === warmup + steps - 1) seconds = (performance.now() - start) / 1000;
    },
  });
  model.dispose();
  const figures = { threads, batch, steps, seconds, samplesPerSecond: (steps * batch) / seconds };
  process.stdout.write(
    `${RESULT}${JSON.stringify({ ...figures, node: process.version, kernelBuild: kernelBuild() })}\n`,
  );
}

/** Starts this script as a child with `env` added; resolves with its result line, parsed. */
function startChild(env, onReady) {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url)], {
    env: { ...process.env, ...env, THREAD_SCALING_CHILD: '1' },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let output = '';
  const result = new Promise((resolveResult, reject) => {
    child.stdout.on('data', (chunk) => {
      output += chunk;
      if (output.includes(READY) && onReady !== undefined) {
        const ready = onReady;
        onReady = undefined;
        ready();
      }
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const line = output.split('\n').find((l) => l.startsWith(RESULT));
      if (code !== 0 || line === undefined) {
        reject(
          new Error(`thread-scaling: a child run (${JSON.stringify(env)}) exited with ${code} and no result`),
        );
        return;
      }
      resolveResult(JSON.parse(line.slice(RESULT.length)));
    });
  });
  return { child, result };
}

async function runAlone(threads, batch, timing) {
  const { child, result } = startChild({ THREADS: String(threads), BATCH: String(batch), ...timing });
  child.stdin.end();
  return (await result).samplesPerSecond;
}

/** Two one-thread trainers at once; each starts its clock when both have warmed up. */
async function runPair(batch, timing) {
  const env = { THREADS: '1', BATCH: String(batch), WAIT_FOR_START: '1', ...timing };
  let ready = 0;
  const children = [];
  const go = () => {
    ready++;
    if (ready === 2) for (const { child } of children) child.stdin.end('\n');
  };
  children.push(startChild(env, go), startChild(env, go));
  const results = await Promise.all(children.map(({ result }) => result));
  return results[0].samplesPerSecond + results[1].samplesPerSecond;
}

async function runParent() {
  const batches = (process.env.BATCHES ?? '64,128').split(',').map(Number);
  const rounds = Number(process.env.ROUNDS ?? 3);
  const timing = { STEPS: process.env.STEPS ?? '120', WARMUP: process.env.WARMUP ?? '15' };
  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const rows = [];
  for (const batch of batches) {
    const one = [];
    const two = [];
    const pair = [];
    for (let round = 0; round < rounds; round++) {
      one.push(await runAlone(1, batch, timing));
      two.push(await runAlone(2, batch, timing));
      pair.push(await runPair(batch / 2, timing));
    }
    rows.push({
      batch,
      oneThread: median(one),
      twoThreads: median(two),
      pairOfHalves: median(pair),
      // Ratios per round (the same moment of the machine), then their median.
      twoOverOne: median(two.map((t, i) => t / one[i])),
      pairOverOne: median(pair.map((p, i) => p / one[i])),
      rounds: { one, two, pair },
    });
  }

  console.log(
    `\ntwo threads against one, train() at the work of pnpm bench's training; Node ${process.version}; median of ${rounds} interleaved round(s), ${timing.STEPS} steps after ${timing.WARMUP}:`,
  );
  console.log(
    `  ${'batch'.padStart(5)} ${'1 thread'.padStart(10)} ${'2 threads'.padStart(10)} ${'two/one'.padStart(8)} ${'2 x 1 thread, B/2 each'.padStart(23)} ${'pair/one'.padStart(9)}   (samples/s)`,
  );
  for (const row of rows) {
    console.log(
      `  ${String(row.batch).padStart(5)} ${row.oneThread.toFixed(0).padStart(10)} ${row.twoThreads.toFixed(0).padStart(10)} ${`${row.twoOverOne.toFixed(2)}x`.padStart(8)} ${row.pairOfHalves.toFixed(0).padStart(23)} ${`${row.pairOverOne.toFixed(2)}x`.padStart(9)}`,
    );
  }
  console.log(
    '  two/one: the target is 1.85x. pair/one: two separate processes, each a one-thread trainer on half the batch, at once (nothing shared but the machine).',
  );

  const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
  const outPath = process.env.OUT
    ? resolve(process.env.INIT_CWD ?? process.cwd(), process.env.OUT)
    : resolve(repoRoot, 'bench-results', 'thread-scaling.json');
  mkdirSync(dirname(outPath), { recursive: true });
  const record = {
    date: new Date().toISOString(),
    command: 'node bench/thread-scaling.mjs (packages/train)',
    node: process.version,
    rounds,
    steps: Number(timing.STEPS),
    warmup: Number(timing.WARMUP),
    rows,
  };
  writeFileSync(outPath, `${JSON.stringify(record, null, 2)}\n`);
  const shown = relative(repoRoot, outPath);
  console.log(`\nresults: ${shown.startsWith('..') ? outPath : shown}`);
}
