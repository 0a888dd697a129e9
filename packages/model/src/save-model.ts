import type { LayersModel } from '@tensorflow/tfjs-layers';
import { fileSystemIO } from './file-system-io.js';

/**
 * Saves `model` into the folder `dir` (created if needed) as `model.json` + `weights.bin`, the
 * TensorFlow.js layers format, atomically: an interrupted save leaves the previous model or no
 * `model.json`, never a half-written one. Other files in `dir` are kept. Node only.
 *
 * @throws ModelSaveError naming the folder.
 */
export async function saveModel(model: LayersModel, dir: string): Promise<void> {
  await model.save(fileSystemIO(dir));
}
