import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { writeFilesAtomic } from '@mnist/core/node';
import { io } from '@tensorflow/tfjs-core';
import { MODEL_JSON, modelFolderSource, WEIGHTS_BIN } from './model-folder-source.js';
import { ModelSaveError } from './model-save-error.js';
import { readModelArtifacts } from './read-model-artifacts.js';

// Node only, reached only from the `@mnist/model/node` entry: writing goes through
// @mnist/core/node, which imports Node built-ins by name, so no browser bundle can contain it. The
// browser-safe pretrained entry reads a folder through modelFolderSource alone.

/**
 * A `tf.io.IOHandler` that saves a layers model to, and loads it from, the folder `dir` as
 * `model.json` + `weights.bin` (the standard TensorFlow.js layers format), with Node's `fs` and no
 * `tfjs-node`.
 *
 * Saving is atomic per model (`writeFilesAtomic` of `@mnist/core/node`, `model.json` the commit
 * point): both files are written to temporary files in `dir` and flushed, the old `model.json` is
 * removed, `weights.bin` is renamed into place and `model.json` last. A failure while writing
 * leaves the old model whole; a crash or failure after that leaves no `model.json`, never one
 * paired with the wrong weights. Other files in `dir` are left alone.
 *
 * Loading reads nothing outside `dir`: weights paths with `..`, absolute paths or symlinks that
 * resolve outside are refused, as are missing, truncated or oversized weights files
 * (`ModelLoadError` naming the file). Files the manifest does not list are ignored.
 */
export function fileSystemIO(dir: string): io.IOHandler {
  return {
    save: (artifacts) => saveArtifacts(dir, artifacts),
    load: async () => readModelArtifacts(await modelFolderSource(dir)),
  };
}

async function saveArtifacts(dir: string, artifacts: io.ModelArtifacts): Promise<io.SaveResult> {
  const root = path.resolve(dir);
  if (artifacts.modelTopology instanceof ArrayBuffer || artifacts.modelTopology === undefined) {
    throw new ModelSaveError(
      `Cannot save to ${root}: only layers models (with a JSON topology) are supported`,
    );
  }
  const weights = new Uint8Array(
    artifacts.weightData === undefined
      ? new ArrayBuffer(0)
      : io.CompositeArrayBuffer.join(artifacts.weightData),
  );
  const modelJson: io.ModelJSON = {
    modelTopology: artifacts.modelTopology,
    format: artifacts.format,
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy,
    weightsManifest: [{ paths: [WEIGHTS_BIN], weights: artifacts.weightSpecs ?? [] }],
  };
  if (artifacts.trainingConfig !== undefined) modelJson.trainingConfig = artifacts.trainingConfig;
  if (artifacts.userDefinedMetadata !== undefined)
    modelJson.userDefinedMetadata = artifacts.userDefinedMetadata;
  if (artifacts.signature !== undefined) modelJson.signature = artifacts.signature;
  if (artifacts.modelInitializer !== undefined) modelJson.modelInitializer = artifacts.modelInitializer;

  try {
    await mkdir(root, { recursive: true });
    // model.json last: it is the commit point of the pair.
    await writeFilesAtomic([
      { path: path.join(root, WEIGHTS_BIN), data: weights },
      { path: path.join(root, MODEL_JSON), data: JSON.stringify(modelJson) },
    ]);
  } catch (error) {
    throw new ModelSaveError(`Cannot save the model to ${root}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return { modelArtifactsInfo: io.getModelArtifactsInfoForJSON(artifacts) };
}
