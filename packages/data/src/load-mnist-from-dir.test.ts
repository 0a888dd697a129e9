import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DataSourceError } from './data-source-error.js';
import { IdxFormatError } from './idx-format-error.js';
import { loadMnist } from './load-mnist.js';
import { loadMnistFromDir } from './load-mnist-from-dir.js';
import { gzip, makeIdxImages, makeIdxLabels, patternImages } from './testing/make-idx.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mnist-dir-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function writeSet(options: { trainLabels?: number[] } = {}): Promise<void> {
  // Mixed on purpose: gzipped train files, raw test files.
  await writeFile(join(dir, 'train-images-idx3-ubyte.gz'), gzip(makeIdxImages(patternImages(4), 4)));
  await writeFile(
    join(dir, 'train-labels-idx1-ubyte.gz'),
    gzip(makeIdxLabels(options.trainLabels ?? [1, 2, 3, 4])),
  );
  await writeFile(join(dir, 't10k-images-idx3-ubyte'), makeIdxImages(patternImages(2), 2));
  await writeFile(join(dir, 't10k-labels-idx1-ubyte'), makeIdxLabels([7, 0]));
}

describe('loadMnistFromDir', () => {
  it('loads a folder in the standard layout, raw or gzipped', async () => {
    await writeSet();
    const { train, test } = await loadMnist({ source: { dir } });
    expect(train.count).toBe(4);
    expect(Array.from(train.labels)).toEqual([1, 2, 3, 4]);
    expect(train.images).toEqual(patternImages(4));
    expect(test.count).toBe(2);
    expect(Array.from(test.labels)).toEqual([7, 0]);
  });

  it('names the folder and every missing file', async () => {
    await writeSet();
    await rm(join(dir, 't10k-labels-idx1-ubyte'));
    await rm(join(dir, 'train-images-idx3-ubyte.gz'));
    const error = await loadMnistFromDir(dir).catch((e) => e);
    expect(error).toBeInstanceOf(DataSourceError);
    expect(error.message).toMatch(
      `MNIST folder ${dir} is missing train-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz]; expected the standard layout`,
    );
  });

  it('names a folder that does not exist', async () => {
    const missing = join(dir, 'nope');
    await expect(loadMnistFromDir(missing)).rejects.toThrow(
      `MNIST folder ${missing} does not exist or is not a folder`,
    );
  });

  it('reports a bad file with its path', async () => {
    await writeSet({ trainLabels: [1, 2, 3] });
    const error = await loadMnistFromDir(dir).catch((e) => e);
    expect(error).toBeInstanceOf(IdxFormatError);
    expect(error.message).toBe(
      `${join(dir, 'train-images-idx3-ubyte.gz')}: holds 4 images but ${join(dir, 'train-labels-idx1-ubyte.gz')} holds 3 labels; expected one label per image`,
    );
  });

  it('rejects an unknown source', async () => {
    await expect(loadMnist({ source: { folder: dir } as never })).rejects.toThrow(
      /^source must be 'package', \{ dir \} or \{ baseUrl \}, got \{"folder":/,
    );
  });
});
