import type { LayersModel } from '@tensorflow/tfjs-layers';
import { fileSystemIO } from './file-system-io.js';
import { loadCheckedModel } from './load-checked-model.js';
import { MODEL_JSON } from './model-folder-source.js';

/**
 * Loads a layers model saved in the folder `dir` (`model.json` + the weights files it lists),
 * reading nothing outside `dir` and checking the weights against the topology. Node only.
 *
 * @throws ModelLoadError naming the file at fault: missing or extra weights, shapes or dtypes
 *   that disagree with model.json, paths leaving the folder, truncated or oversized files.
 */
export async function loadModel(dir: string): Promise<LayersModel> {
  const { resolve, join } = await import('node:path');
  return loadCheckedModel(fileSystemIO(dir), join(resolve(dir), MODEL_JSON));
}
