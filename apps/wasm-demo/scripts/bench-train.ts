// Training throughput benchmark: images per second of the from-scratch view's training in headless
// Chromium (the built demo served without COOP/COEP: 1 worker; with them: 2 workers sharing memory)
// beside train() of @mnist/train in this Node process on the same settings (default model, batch 64,
// the first --images MNIST training images, SCRATCH_TRAINING, WASM backend with our kernels; 1 and 2
// threads). Each run times --steps steps after --warmup steps, from the batch events' arrival
// times, in --rounds interleaved rounds; the median per configuration goes in the table and the
// JSON. A benchmark, not a test: nothing is asserted.
//   pnpm --filter wasm-demo bench:train [-- --images 6000 --warmup 10 --steps 30 --rounds 2 --out FILE]
import { execFileSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '@mnist/core/node';
import { type ImageSet, normalizeImages } from '@mnist/data';
import { loadMnistFromPackage } from '@mnist/data/node';
import { createModel, DEFAULT_MODEL_CONFIG } from '@mnist/model';
import { selectBackend } from '@mnist/runtime';
import { DEFAULT_TRAINING_CONFIG, train } from '@mnist/train';
import type { Browser } from 'playwright-core';
import { APP_DIR, ensureBuild } from '../e2e/ensure-build.js';
import { launchChromium } from '../e2e/launch-chromium.js';
import { serveStatic } from '../e2e/static-server.js';
import { SCRATCH_TRAINING } from '../src/scratch/scratch-training-config.js';

function flag(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  if (at < 0) return fallback;
  const value = Number(process.argv[at + 1]);
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`bench:train: --${name} must be a positive integer, got '${process.argv[at + 1]}'`);
  }
  return value;
}
const images = flag('images', 6000);
const warmup = flag('warmup', 10);
const steps = flag('steps', 30);
const rounds = flag('rounds', 2);
const outAt = process.argv.indexOf('--out');
const out = outAt >= 0 ? process.argv[outAt + 1]! : join(APP_DIR, 'bench-results', 'browser-train.json');
// The from-scratch run's batch size: @mnist/train's default, which SCRATCH_TRAINING keeps.
const batchSize = DEFAULT_TRAINING_CONFIG.batchSize;
if ((warmup + steps) * batchSize > images) {
  throw new Error(
    `bench:train: --warmup ${warmup} + --steps ${steps} batches of ${batchSize} need more than the ${images} images of one epoch (--images)`,
  );
}

/** Images per second over the steps after the warm-up, from `[step done, ms]` arrival times. */
function rate(times: [number, number][]): number {
  const at = new Map(times);
  const from = at.get(warmup);
  const to = at.get(warmup + steps);
  if (from === undefined || to === undefined) throw new Error('bench:train: a timed step is missing');
  return (steps * batchSize) / ((to - from) / 1000);
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** What else runs on the machine: the load and the busiest processes, at the start and the end. */
function machine() {
  let busiest: string[] = [];
  try {
    busiest = execFileSync('ps', ['-eo', 'pcpu,etime,args', '--sort=-pcpu'], { encoding: 'utf8' })
      .split('\n')
      .slice(1, 9)
      .map((line) => line.trim().slice(0, 200))
      .filter(Boolean);
  } catch {
    // No ps: the load average alone says how busy the machine was.
  }
  return { at: new Date().toISOString(), loadAverage: loadavg(), busiest };
}

let mnist: ImageSet | undefined;
async function nodeRun(threads: number): Promise<number> {
  await selectBackend('wasm');
  mnist ??= normalizeImages((await loadMnistFromPackage()).train);
  const trainSet: ImageSet = {
    ...mnist,
    images: mnist.images.subarray(0, images * mnist.rows * mnist.cols),
    labels: mnist.labels.subarray(0, images),
    count: images,
  };
  const model = createModel(DEFAULT_MODEL_CONFIG, { seed: SCRATCH_TRAINING.seed });
  const controller = new AbortController();
  const times: [number, number][] = [];
  try {
    await train({
      model,
      data: {
        train: trainSet,
        validation: { ...trainSet, images: new Float32Array(0), labels: new Uint8Array(0), count: 0 },
      },
      config: { ...SCRATCH_TRAINING, epochs: 1, threads },
      signal: controller.signal,
      onEvent: (event) => {
        if (event.type !== 'batchEnd') return;
        times.push([event.batch + 1, performance.now()]);
        if (event.batch + 1 >= warmup + steps) controller.abort();
      },
    });
  } finally {
    model.dispose();
  }
  return rate(times);
}

async function browserRun(browser: Browser, url: string, workers: number) {
  const page = await browser.newPage({ viewport: { width: 1100, height: 1400 } });
  await page.addInitScript((cores) => {
    // The page takes one worker per core on an isolated page: pin the count the run is meant for.
    Object.defineProperty(Navigator.prototype, 'hardwareConcurrency', { get: () => cores });
    // The arrival time of every batch event of the training worker, from the page's own clock.
    const times: [number, number][] = [];
    Object.assign(window, { benchBatchTimes: times });
    const Native = window.Worker;
    window.Worker = class extends Native {
      constructor(...args: ConstructorParameters<typeof Worker>) {
        super(...args);
        this.addEventListener('message', (event: MessageEvent) => {
          if (event.data?.type === 'batch') times.push([event.data.done, performance.now()]);
        });
      }
    };
  }, workers);
  try {
    await page.goto(url);
    await page.waitForFunction(() => document.body.dataset['scratchReady'] === 'true', undefined, {
      timeout: 180_000,
    });
    const isolated = await page.evaluate(() => crossOriginIsolated);
    await page.getByTestId('scratch-images').selectOption(String(images));
    await page.getByTestId('scratch-epochs').selectOption('1');
    await page.getByTestId('scratch-start').click();
    await page.waitForFunction(
      (last) => (window as unknown as { benchBatchTimes: unknown[] }).benchBatchTimes.length >= last,
      warmup + steps,
      { timeout: 600_000, polling: 100 },
    );
    const shown = await page.getByTestId('scratch-workers').textContent();
    const trainedOn = Number(await page.getByTestId('scratch-workers').getAttribute('data-workers'));
    if (trainedOn !== workers)
      throw new Error(`bench:train: the page trained on ${trainedOn} workers: ${shown}`);
    await page.getByTestId('scratch-pause').click();
    const times = await page.evaluate(
      () => (window as unknown as { benchBatchTimes: [number, number][] }).benchBatchTimes,
    );
    return { imagesPerSecond: rate(times), crossOriginIsolated: isolated };
  } finally {
    await page.close();
  }
}

const before = machine();
const dist = await ensureBuild();
const plain = await serveStatic(dist);
const isolatedServer = await serveStatic(dist, { crossOriginIsolated: true });
const browser = await launchChromium();
const chromiumVersion = browser.version();
type Config = { where: 'node' | 'chromium'; workers: number; crossOriginIsolated: boolean | null };
const configs: Config[] = [
  { where: 'node', workers: 1, crossOriginIsolated: null },
  { where: 'node', workers: 2, crossOriginIsolated: null },
  { where: 'chromium', workers: 1, crossOriginIsolated: false },
  { where: 'chromium', workers: 2, crossOriginIsolated: true },
];
const measured = new Map<Config, number[]>(configs.map((config) => [config, []]));
try {
  for (let round = 0; round < rounds; round++) {
    for (const config of configs) {
      let value: number;
      if (config.where === 'node') {
        value = await nodeRun(config.workers);
      } else {
        const run = await browserRun(
          browser,
          (config.crossOriginIsolated ? isolatedServer : plain).url,
          config.workers,
        );
        if (run.crossOriginIsolated !== config.crossOriginIsolated) {
          throw new Error(
            `bench:train: crossOriginIsolated is ${run.crossOriginIsolated} on the ${config.crossOriginIsolated ? 'COOP/COEP' : 'plain'} server`,
          );
        }
        value = run.imagesPerSecond;
      }
      measured.get(config)!.push(value);
      console.log(
        `round ${round + 1}: ${config.where}, ${config.workers} worker(s): ${value.toFixed(0)} images/s`,
      );
    }
  }
} finally {
  await browser.close();
  await plain.close();
  await isolatedServer.close();
}

const results = configs.map((config) => ({
  ...config,
  imagesPerSecond: measured.get(config)!,
  median: median(measured.get(config)!),
}));
const find = (where: Config['where'], workers: number) =>
  results.find((result) => result.where === where && result.workers === workers)!.median;
const ratios = {
  chromiumOverNode: {
    workers1: find('chromium', 1) / find('node', 1),
    workers2: find('chromium', 2) / find('node', 2),
  },
  twoOverOne: {
    node: find('node', 2) / find('node', 1),
    chromium: find('chromium', 2) / find('chromium', 1),
  },
};
const report = {
  benchmark: 'wasm-demo bench:train',
  settings: {
    model: DEFAULT_MODEL_CONFIG,
    training: SCRATCH_TRAINING,
    trainImages: images,
    batchSize,
    warmupSteps: warmup,
    timedSteps: steps,
    rounds,
    backend: 'wasm',
  },
  environment: {
    node: process.version,
    chromium: chromiumVersion,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
  },
  machine: { before, after: machine() },
  results,
  ratios,
};
await writeFileAtomic(out, `${JSON.stringify(report, null, 2)}\n`);

console.log('\n| where | workers | COOP/COEP | images/s (median) | rounds |');
console.log('| --- | --- | --- | --- | --- |');
for (const result of results) {
  const headers = result.crossOriginIsolated === null ? '—' : result.crossOriginIsolated ? 'yes' : 'no';
  console.log(
    `| ${result.where} | ${result.workers} | ${headers} | ${result.median.toFixed(0)} | ${result.imagesPerSecond.map((v) => v.toFixed(0)).join(', ')} |`,
  );
}
console.log(
  `\nchromium/node: ${ratios.chromiumOverNode.workers1.toFixed(2)}x (1 worker), ${ratios.chromiumOverNode.workers2.toFixed(2)}x (2 workers); ` +
    `2 workers/1: node ${ratios.twoOverOne.node.toFixed(2)}x, chromium ${ratios.twoOverOne.chromium.toFixed(2)}x`,
);
console.log(`written to ${out}`);
