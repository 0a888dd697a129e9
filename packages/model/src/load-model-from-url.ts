import type { LayersModel } from '@tensorflow/tfjs-layers';
import { loadCheckedModel } from './load-checked-model.js';
import { type UrlIOOptions, urlIO } from './url-io.js';

/**
 * Loads a layers model (`model.json` + weights) over HTTP(S), in the browser or in Node. A model
 * saved by `createModel` + `saveModel` needs no custom layer: its input normalization is the
 * built-in `Rescaling` layer, so plain `tf.loadLayersModel(url)` would load it too; this adds
 * the safety checks of `urlIO` and `loadCheckedModel` (clear `ModelLoadError`, no leaked tensors).
 *
 * @throws ModelLoadError naming the URL at fault.
 */
export function loadModelFromUrl(url: string | URL, options: UrlIOOptions = {}): Promise<LayersModel> {
  const handler = urlIO(url, options);
  return loadCheckedModel(handler, new URL(url, globalThis.location?.href).href);
}
