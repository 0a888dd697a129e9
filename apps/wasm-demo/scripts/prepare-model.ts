// Writes the model the demo loads: reads a trained TensorFlow.js layers model (model.json +
// weights) and writes it with uint8-quantized weights into public/model/, where Vite serves and
// copies it.
//   pnpm --filter wasm-demo prepare-model                 # from packages/model/weights/
//   pnpm --filter wasm-demo prepare-model -- --from DIR   # from a trainer run's --out folder
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFilesAtomic } from '@mnist/core/node';
import type { io } from '@tensorflow/tfjs-core';
import { quantizeWeights } from './lib/quantize-weights.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const fromFlag = process.argv.indexOf('--from');
const source = fromFlag >= 0 ? process.argv[fromFlag + 1]! : join(here, '../../../packages/model/weights');
const target = join(here, '../public/model');

let modelJson: io.ModelJSON;
try {
  modelJson = JSON.parse(await readFile(join(source, 'model.json'), 'utf8')) as io.ModelJSON;
} catch (cause) {
  throw new Error(
    `prepare-model: cannot read ${join(source, 'model.json')}; train a model (pnpm train -- --out DIR) and ` +
      'pass --from DIR, or put the pretrained weights into packages/model/weights',
    { cause },
  );
}
const groups = modelJson.weightsManifest;
const specs = groups.flatMap((group) => group.weights);
const buffers = await Promise.all(
  groups.flatMap((group) => group.paths.map((path) => readFile(join(source, path)))),
);
const joined = Buffer.concat(buffers);
const { specs: quantizedSpecs, data } = quantizeWeights(
  specs,
  joined.buffer.slice(joined.byteOffset, joined.byteOffset + joined.byteLength),
);

const out: io.ModelJSON = {
  ...modelJson,
  weightsManifest: [{ paths: ['weights.bin'], weights: quantizedSpecs }],
};
await mkdir(target, { recursive: true });
// Atomic as a pair, model.json the commit point: the page never finds a model.json beside weights
// of another model.
await writeFilesAtomic([
  { path: join(target, 'weights.bin'), data },
  { path: join(target, 'model.json'), data: `${JSON.stringify(out)}\n` },
]);
console.log(
  `prepare-model: ${source} (${joined.byteLength} bytes of weights) -> ${target} (${data.byteLength} bytes, uint8)`,
);
