#!/usr/bin/env node
// Copies a trainer run's model into packages/model/weights (the pretrained weights that
// `loadPretrained()` of @mnist/model ships), or with `--name best` into packages/model/weights-best
// (`loadPretrainedBest()`'s), and records where they came from: the run's test accuracy, seed,
// backend, config and the SHA-256 of each file.
// Usage: node scripts/update-pretrained.mjs <trainer --out folder> [--name default|best] [--min-accuracy 0.992]
import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
// The workspace's one atomic-write helper, from its build (`pnpm pretrained` builds it first).
import { writeFilesAtomic } from '../packages/core/dist/node.js';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    'min-accuracy': { type: 'string', default: '0.992' },
    name: { type: 'string', default: 'default' },
  },
});
// Each shipped model: its folder in packages/model and the root script that reproduces it.
const SHIPPED = {
  default: { folder: 'weights', command: 'pnpm pretrained' },
  best: { folder: 'weights-best', command: 'pnpm pretrained:best' },
};
const shipped = SHIPPED[values.name];
if (shipped === undefined) {
  console.error(`--name ${values.name}: expected one of ${Object.keys(SHIPPED).join(', ')}`);
  process.exit(1);
}
const from = path.resolve(process.env.INIT_CWD ?? process.cwd(), positionals[0] ?? 'artifacts/pretrained');
const target = path.resolve(import.meta.dirname, '..', 'packages', 'model', shipped.folder);
const minAccuracy = Number(values['min-accuracy']);

const metrics = JSON.parse(await readFile(path.join(from, 'metrics.json'), 'utf8'));
const accuracy = metrics.test?.accuracy;
if (typeof accuracy !== 'number' || accuracy < minAccuracy) {
  console.error(
    `${path.join(from, 'metrics.json')}: test accuracy ${accuracy} is below --min-accuracy ${minAccuracy}; ` +
      'not shipping these weights.',
  );
  process.exit(1);
}

const files = {};
const contents = {};
for (const name of ['weights.bin', 'model.json']) {
  const bytes = await readFile(path.join(from, name));
  files[name] = { bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
  contents[name] = bytes;
}
const provenance = {
  testAccuracy: accuracy,
  testLoss: metrics.test.loss,
  testImages: metrics.test.count ?? 10000,
  seed: metrics.seed,
  backend: metrics.backend,
  threads: metrics.threads,
  kernelBuild: metrics.kernelBuild,
  recipe: metrics.recipe,
  node: metrics.versions?.node,
  epochsRun: metrics.history?.length,
  trainingSeconds: metrics.totalSeconds,
  config: metrics.config,
  files,
  command: shipped.command,
  createdAt: new Date().toISOString(),
};
// One atomic group, model.json (what loadPretrained opens first) the commit point: a failed copy
// leaves the previous weights whole, or no model.json, never a mismatched pair or provenance.
await mkdir(target, { recursive: true });
await writeFilesAtomic([
  { path: path.join(target, 'weights.bin'), data: contents['weights.bin'] },
  { path: path.join(target, 'provenance.json'), data: `${JSON.stringify(provenance, null, 2)}\n` },
  { path: path.join(target, 'model.json'), data: contents['model.json'] },
]);
console.log(
  `pretrained weights: test accuracy ${(accuracy * 100).toFixed(2)}%, weights.bin sha256 ${files['weights.bin'].sha256}`,
);
