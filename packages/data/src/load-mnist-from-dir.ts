import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { MnistDataset } from './dataset-types.js';
import { DataSourceError } from './data-source-error.js';
import { decodeImageSet } from './decode-image-set.js';
import { MNIST_FILE_NAMES, type MnistFileName, mnistFileNames } from './mnist-files.js';

/**
 * Loads MNIST from a folder in the standard layout: `train-images-idx3-ubyte`,
 * `train-labels-idx1-ubyte`, `t10k-images-idx3-ubyte` and `t10k-labels-idx1-ubyte`, each raw or
 * with a `.gz` suffix (the content, not the suffix, decides how it is read). Throws
 * `DataSourceError` naming the folder and every missing file, `IdxFormatError` for a bad file.
 */
export async function loadMnistFromDir(dir: string): Promise<MnistDataset> {
  const folder = resolve(dir);
  const info = await stat(folder).catch(() => null);
  if (!info?.isDirectory()) {
    throw new DataSourceError(`MNIST folder ${folder} does not exist or is not a folder`);
  }
  const found = await Promise.all(MNIST_FILE_NAMES.map((name) => findFile(folder, name)));
  const missing = MNIST_FILE_NAMES.filter((_, i) => found[i] === null);
  if (missing.length > 0) {
    throw new DataSourceError(
      `MNIST folder ${folder} is missing ${missing.map((m) => `${m}[.gz]`).join(', ')}; expected the standard layout ${MNIST_FILE_NAMES.map((m) => `${m}[.gz]`).join(', ')}`,
    );
  }
  return loadMnistFromPaths(
    Object.fromEntries(MNIST_FILE_NAMES.map((name, i) => [name, found[i]!])) as Record<MnistFileName, string>,
  );
}

/** Loads MNIST from the four given file paths (raw or gzipped). Internal: used after a download. */
export async function loadMnistFromPaths(paths: Record<MnistFileName, string>): Promise<MnistDataset> {
  const load = async (split: 'train' | 't10k') => {
    const names = mnistFileNames(split);
    const [images, labels] = await Promise.all([
      readBytes(paths[names.images]),
      readBytes(paths[names.labels]),
    ]);
    return decodeImageSet(
      { bytes: images, fileName: paths[names.images] },
      { bytes: labels, fileName: paths[names.labels] },
    );
  };
  const [train, test] = await Promise.all([load('train'), load('t10k')]);
  return { train, test };
}

/** The path of `name` or `name.gz` in `folder` (the raw file first: it needs no gunzip), or null. */
async function findFile(folder: string, name: MnistFileName): Promise<string | null> {
  for (const candidate of [name, `${name}.gz`]) {
    const path = join(folder, candidate);
    const info = await stat(path).catch(() => null);
    if (info?.isFile()) return path;
  }
  return null;
}

async function readBytes(path: string): Promise<Uint8Array> {
  try {
    const buffer = await readFile(path);
    // A plain Uint8Array view, so what we hand out is what the browser entry hands out.
    return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  } catch (cause) {
    throw new DataSourceError(`could not read ${path}: ${(cause as Error).message}`, { cause });
  }
}
