// Node-only entry: file system and network sources. Everything browser-safe is in the main entry.
export { DataSourceError } from './data-source-error.js';
export { DownloadError } from './download-error.js';
export { ChecksumMismatchError } from './checksum-mismatch-error.js';
export { loadMnist } from './load-mnist.js';
export type { LoadMnistOptions, MnistSource } from './load-mnist.js';
export { loadMnistFromDir } from './load-mnist-from-dir.js';
export { loadMnistFromPackage, mnistDataPackageDir } from './load-mnist-from-package.js';
export { defaultCacheDir, downloadMnist } from './download-mnist.js';
export type { DownloadMnistOptions, DownloadMnistResult } from './download-mnist.js';
export type { MnistFileName } from './mnist-files.js';
