import type { LayersModel } from '@tensorflow/tfjs-layers';
import { loadPretrainedFrom } from './load-pretrained-from.js';

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
