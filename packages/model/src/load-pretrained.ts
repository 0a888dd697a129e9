import type { LayersModel } from '@tensorflow/tfjs-layers';
import { loadCheckedModel } from './load-checked-model.js';
import { modelFolderSource } from './model-folder-source.js';
import { ModelLoadError } from './model-load-error.js';
import { PretrainedWeightsMissingError } from './pretrained-weights-missing-error.js';
import { readModelArtifacts } from './read-model-artifacts.js';
import { urlIO } from './url-io.js';

// Literal `new URL(..., import.meta.url)` expressions, so bundlers (Vite, webpack 5, esbuild with
// a loader) copy both files as assets and rewrite the URLs. Each file gets its own literal because
// a bundler may hash them into unrelated names.
const PRETRAINED_MODEL_URL = new URL('../weights/model.json', import.meta.url);
const PRETRAINED_WEIGHTS_URL = new URL('../weights/weights.bin', import.meta.url);

/**
 * Loads the pretrained MNIST CNN shipped in this package (`weights/model.json` + `weights.bin`,
 * trained with `DEFAULT_MODEL_CONFIG`). Under Node the files are read from the installed package;
 * in the browser they are fetched from wherever the bundler put them. The model takes pixels in
 * [0, 1]; pass it to `predictDigits`.
 *
 * @throws PretrainedWeightsMissingError if the package was built without weights.
 * @throws ModelLoadError if the weights are there but broken.
 */
export function loadPretrained(): Promise<LayersModel> {
  return loadPretrainedFrom(PRETRAINED_MODEL_URL, PRETRAINED_WEIGHTS_URL);
}

/**
 * The loader behind `loadPretrained`, with the locations as parameters (tests point it at a
 * temporary folder or a local server). A `file:` URL is read from disk (`modelFolderSource`, which
 * needs Node); any other URL is fetched.
 *
 * @param modelJsonUrl URL of `model.json`.
 * @param weightsUrl URL of `weights.bin` when the bundler moved it away from `model.json`.
 */
export async function loadPretrainedFrom(modelJsonUrl: URL, weightsUrl?: URL): Promise<LayersModel> {
  let location: string;
  let load: () => Promise<LayersModel>;
  if (modelJsonUrl.protocol === 'file:') {
    const [{ fileURLToPath }, path] = await Promise.all([import('node:url'), import('node:path')]);
    location = fileURLToPath(modelJsonUrl);
    const dir = path.dirname(location);
    // Load-only: saving (fileSystemIO) would pull @mnist/core/node into this browser-safe entry.
    load = () =>
      loadCheckedModel({ load: async () => readModelArtifacts(await modelFolderSource(dir)) }, location);
  } else {
    location = modelJsonUrl.href;
    const weightUrl = (file: string) =>
      file === 'weights.bin' && weightsUrl !== undefined ? weightsUrl : new URL(file, modelJsonUrl);
    load = () => loadCheckedModel(urlIO(modelJsonUrl, { weightUrl }), location);
  }
  try {
    return await load();
  } catch (error) {
    if (error instanceof ModelLoadError && error.reason === 'missing-file' && error.file === location) {
      throw new PretrainedWeightsMissingError(
        `No pretrained weights: ${location} does not exist. This copy of @mnist/model was built without them. ` +
          'Produce them with the mnist-ts trainer (`pnpm train` in the repository) and put its model.json and ' +
          'weights.bin into packages/model/weights before building the package; or load a model of your own with ' +
          'loadModel(dir) from "@mnist/model/node" or loadModelFromUrl(url).',
        { cause: error },
      );
    }
    throw error;
  }
}
