import { io } from '@tensorflow/tfjs-core';
import { ModelLoadError } from './model-load-error.js';
import { ModelSaveError } from './model-save-error.js';
import { type ModelFileSource, readModelArtifacts } from './read-model-artifacts.js';

/** File names this handler writes: the layout `tfjs-node`'s `file://` handler uses too. */
export const MODEL_JSON = 'model.json';
/** Name of the single weights file written next to `model.json`. */
export const WEIGHTS_BIN = 'weights.bin';

/** A model.json is a few kilobytes; refuse to parse anything absurd. */
const MAX_MODEL_JSON_BYTES = 32 * 1024 * 1024;

type NodeFs = typeof import('node:fs/promises');
type NodePath = typeof import('node:path');

// Node built-ins are imported on first use, never at module load, so this module can sit in the
// browser entry's graph (loadPretrained uses it when it runs under Node) without bundlers tripping.
let nodeModules: Promise<{ fs: NodeFs; path: NodePath }> | undefined;
function loadNodeModules() {
  nodeModules ??= Promise.all([import('node:fs/promises'), import('node:path')]).then(([fs, path]) => ({
    fs,
    path,
  }));
  return nodeModules;
}

/**
 * A `tf.io.IOHandler` that saves a layers model to, and loads it from, the folder `dir` as
 * `model.json` + `weights.bin` (the standard TensorFlow.js layers format), with Node's `fs` and no
 * `tfjs-node`.
 *
 * Saving is atomic per model: both files are written to temporary files in `dir` and flushed, the
 * old `model.json` is removed, `weights.bin` is renamed into place and `model.json` last. A crash
 * leaves the old model, or no `model.json`, never a `model.json` paired with the wrong weights.
 * Other files in `dir` are left alone.
 *
 * Loading reads nothing outside `dir`: weights paths with `..`, absolute paths or symlinks that
 * resolve outside are refused, as are missing, truncated or oversized weights files
 * (`ModelLoadError` naming the file). Files the manifest does not list are ignored.
 */
export function fileSystemIO(dir: string): io.IOHandler {
  return {
    save: (artifacts) => saveArtifacts(dir, artifacts),
    load: async () => readModelArtifacts(await folderSource(dir)),
  };
}

/** The model folder as a `ModelFileSource` that refuses to read outside it. */
async function folderSource(dir: string): Promise<ModelFileSource> {
  const { fs, path } = await loadNodeModules();
  const root = path.resolve(dir);
  const modelJsonLocation = path.join(root, MODEL_JSON);
  let realRoot: string | undefined;

  const inside = (base: string, target: string) => {
    const rel = path.relative(base, target);
    return rel !== '' && rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
  };

  const read = async (relative: string, maxBytes: number, isWeights: boolean): Promise<Uint8Array> => {
    const shown = path.join(root, relative);
    if (realRoot === undefined) {
      try {
        realRoot = await fs.realpath(root);
      } catch (error) {
        throw fsError(error, isWeights ? shown : modelJsonLocation, `model folder ${root} does not exist`);
      }
    }
    const target = path.resolve(realRoot, relative);
    let real: string;
    try {
      // Checked before and after resolving symlinks, so neither `..` nor a link can lead outside.
      if (!inside(realRoot, target)) throw outside(shown, root);
      real = await fs.realpath(target);
    } catch (error) {
      if (error instanceof ModelLoadError) throw error;
      throw fsError(error, shown, `${shown} does not exist`);
    }
    if (!inside(realRoot, real)) throw outside(shown, root, real);
    let handle: Awaited<ReturnType<NodeFs['open']>> | undefined;
    try {
      handle = await fs.open(real, 'r');
      const stats = await handle.stat();
      if (!stats.isFile()) {
        throw new ModelLoadError(`${shown} is not a regular file`, { file: shown, reason: 'read-failed' });
      }
      if (stats.size > maxBytes) {
        throw new ModelLoadError(
          isWeights
            ? `${shown} is ${stats.size} bytes, more than the ${maxBytes} bytes ${modelJsonLocation} declares for it`
            : `${shown} is ${stats.size} bytes, too large for a model.json`,
          { file: shown, reason: isWeights ? 'size-mismatch' : 'invalid-model-json' },
        );
      }
      const data = await handle.readFile();
      if (data.byteLength > maxBytes) {
        throw new ModelLoadError(`${shown} grew while it was read`, { file: shown, reason: 'size-mismatch' });
      }
      return data;
    } catch (error) {
      if (error instanceof ModelLoadError) throw error;
      throw fsError(error, shown, `${shown} does not exist`);
    } finally {
      await handle?.close();
    }
  };

  return {
    modelJsonLocation,
    locate: (relative) => path.join(root, relative),
    readModelJson: () => read(MODEL_JSON, MAX_MODEL_JSON_BYTES, false),
    readWeights: (relative, maxBytes) => read(relative, maxBytes, true),
  };
}

function outside(shown: string, root: string, real?: string): ModelLoadError {
  return new ModelLoadError(
    `${shown} ${real === undefined ? 'is' : `resolves to ${real},`} outside the model folder ${root}; refusing to read it`,
    { file: shown, reason: 'unsafe-path' },
  );
}

function fsError(error: unknown, file: string, missingMessage: string): ModelLoadError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    return new ModelLoadError(missingMessage, { file, reason: 'missing-file', cause: error });
  }
  return new ModelLoadError(`${file} cannot be read (${(error as Error).message})`, {
    file,
    reason: 'read-failed',
    cause: error,
  });
}

async function saveArtifacts(dir: string, artifacts: io.ModelArtifacts): Promise<io.SaveResult> {
  const { fs, path } = await loadNodeModules();
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

  const suffix = `${process.pid}-${Math.random().toString(36).slice(2)}.tmp`;
  const tmpWeights = path.join(root, `.${WEIGHTS_BIN}.${suffix}`);
  const tmpJson = path.join(root, `.${MODEL_JSON}.${suffix}`);
  try {
    await fs.mkdir(root, { recursive: true });
    await writeFlushed(fs, tmpWeights, weights);
    await writeFlushed(fs, tmpJson, new TextEncoder().encode(JSON.stringify(modelJson)));
    // model.json goes first and comes back last: it is the commit point of the pair.
    await fs.rm(path.join(root, MODEL_JSON), { force: true });
    await fs.rename(tmpWeights, path.join(root, WEIGHTS_BIN));
    await fs.rename(tmpJson, path.join(root, MODEL_JSON));
    await syncFolder(fs, root);
  } catch (error) {
    await Promise.all([fs.rm(tmpWeights, { force: true }), fs.rm(tmpJson, { force: true })]).catch(() => {});
    throw new ModelSaveError(`Cannot save the model to ${root}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return { modelArtifactsInfo: io.getModelArtifactsInfoForJSON(artifacts) };
}

async function writeFlushed(fs: NodeFs, file: string, data: Uint8Array): Promise<void> {
  const handle = await fs.open(file, 'wx');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Makes the renames durable; best effort, as some platforms cannot open a folder for syncing. */
async function syncFolder(fs: NodeFs, dir: string): Promise<void> {
  try {
    const handle = await fs.open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Not fatal: the files themselves are flushed.
  }
}
