import type { LayersModel } from '@tensorflow/tfjs-layers';
import { loadCheckedModel } from './load-checked-model.js';
import { modelFolderSource } from './model-folder-source.js';
import { ModelLoadError } from './model-load-error.js';
import { PretrainedWeightsMissingError } from './pretrained-weights-missing-error.js';
import { readModelArtifacts } from './read-model-artifacts.js';
import { urlIO } from './url-io.js';

// No `new URL(..., import.meta.url)` here: each shipped model's loader names its own files, so an
// app's bundle holds only the weights of the loaders it imports.

/**
 * The loader behind `loadPretrained` and `loadPretrainedBest`, with the locations as parameters
 * (tests point it at a temporary folder or a local server). A `file:` URL is read from disk
 * (`modelFolderSource`, which needs Node); any other URL is fetched.
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
          'Produce them in the mnist-ts repository with `pnpm pretrained` (packages/model/weights) or ' +
          '`pnpm pretrained:best` (packages/model/weights-best), which train the model and copy its model.json and ' +
          'weights.bin there, before building the package; or load a model of your own with loadModel(dir) from ' +
          '"@mnist/model/node" or loadModelFromUrl(url).',
        { cause: error },
      );
    }
    throw error;
  }
}
