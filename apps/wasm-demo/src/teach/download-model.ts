import type { io } from '@tensorflow/tfjs-core';
import type { ModelData } from './teach-protocol.js';

/** Names of the two files Export downloads; `model.json` is what `loadModel(dir)` of `@mnist/model/node` reads. */
export const EXPORT_FILES = { modelJson: 'model.json', weights: 'model.weights.bin' } as const;

/**
 * The `model.json` of `data` in the tfjs layers-model format, its weights in one file beside it
 * named `weightsFile`: what `tf.loadLayersModel` and `@mnist/model`'s loaders read.
 */
export function modelJsonFor(data: ModelData, weightsFile: string): io.ModelJSON {
  return {
    modelTopology: data.modelTopology as io.ModelJSON['modelTopology'],
    format: 'layers-model',
    generatedBy: 'mnist-ts wasm-demo (teach)',
    convertedBy: null,
    weightsManifest: [{ paths: [`./${weightsFile}`], weights: data.weightSpecs }],
  };
}

/**
 * Downloads `data` as `model.json` + `model.weights.bin`. Written here rather than taken from
 * tfjs's `downloads://` handler: that handler registers itself as a module side effect which
 * tfjs-core's `sideEffects` list leaves out, so bundlers drop it.
 */
export async function downloadModel(data: ModelData): Promise<void> {
  const files: [string, Blob][] = [
    [
      EXPORT_FILES.modelJson,
      new Blob([JSON.stringify(modelJsonFor(data, EXPORT_FILES.weights))], { type: 'application/json' }),
    ],
    [EXPORT_FILES.weights, new Blob([data.weightData], { type: 'application/octet-stream' })],
  ];
  for (const [name, blob] of files) {
    const url = URL.createObjectURL(blob);
    const anchor = document.createElement('a');
    anchor.href = url;
    anchor.download = name;
    anchor.click();
    // Some browsers start only the last of several downloads begun in the same task.
    await new Promise((resolve) => setTimeout(resolve, 100));
    URL.revokeObjectURL(url);
  }
}
