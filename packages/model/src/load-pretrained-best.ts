import type { LayersModel } from '@tensorflow/tfjs-layers';
import { loadPretrainedFrom } from './load-pretrained-from.js';

// Its own literals, as in load-pretrained.ts: a bundler copies these files only into apps whose
// graph holds this module, so the default model's apps never carry the larger weights.
const BEST_MODEL_URL = new URL('../weights-best/model.json', import.meta.url);
const BEST_WEIGHTS_URL = new URL('../weights-best/weights.bin', import.meta.url);

/**
 * Loads the larger, more accurate pretrained CNN shipped in this package (`weights-best/`): the
 * `best` recipe's model (32/64/128 filters, dense 256; 390,410 weights, 1.6 MB against the default's
 * 0.5 MB, and about 3.8x its compute per image). `weights-best/provenance.json` records its recipe,
 * seed and test accuracy. Takes pixels in [0, 1], like `loadPretrained`'s model.
 *
 * @throws PretrainedWeightsMissingError if the package was built without these weights.
 * @throws ModelLoadError if the weights are there but broken.
 */
export function loadPretrainedBest(): Promise<LayersModel> {
  return loadPretrainedFrom(BEST_MODEL_URL, BEST_WEIGHTS_URL);
}
