import { ModelLoadError } from './model-load-error.js';
import type { ModelFileSource } from './read-model-artifacts.js';

/** File names of a model folder: the layout `tfjs-node`'s `file://` handler uses too. */
export const MODEL_JSON = 'model.json';
/** Name of the single weights file written next to `model.json`. */
export const WEIGHTS_BIN = 'weights.bin';

/** A model.json is a few kilobytes; refuse to parse anything absurd. */
const MAX_MODEL_JSON_BYTES = 32 * 1024 * 1024;

type NodeFs = typeof import('node:fs/promises');
type NodePath = typeof import('node:path');

// Node built-ins are imported on first use, never at module load, so this module can sit in the
// pretrained entry's graph (loadPretrained reads a folder when it runs under Node) and that entry
// still bundles for the browser.
let nodeModules: Promise<{ fs: NodeFs; path: NodePath }> | undefined;
function loadNodeModules() {
  nodeModules ??= Promise.all([import('node:fs/promises'), import('node:path')]).then(([fs, path]) => ({
    fs,
    path,
  }));
  return nodeModules;
}

/**
 * The model folder `dir` as a `ModelFileSource` for `readModelArtifacts`: it reads nothing outside
 * `dir` (weights paths with `..`, absolute paths or symlinks that resolve outside are refused) and
 * refuses missing, non-regular or oversized files, each a `ModelLoadError` naming the file. Node
 * only, though the module itself loads anywhere.
 */
export async function modelFolderSource(dir: string): Promise<ModelFileSource> {
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
