import { MnistError } from '@mnist/core';
import { describe, expect, it } from 'vitest';
import { ChecksumMismatchError } from './checksum-mismatch-error.js';
import { DataArgumentError } from './data-argument-error.js';
import { DataSourceError } from './data-source-error.js';
import { DownloadError } from './download-error.js';
import { IdxFormatError } from './idx-format-error.js';

describe('the data errors', () => {
  const checksum = new ChecksumMismatchError('https://x/a.gz', 'aa', 'bb', 'a.gz: bad checksum');
  const download = new DownloadError('https://x/a.gz', 'a.gz: unreachable');
  const source = new DataSourceError('no such folder');
  const idx = new IdxFormatError('a.idx', 'bad magic');
  const argument = new DataArgumentError('bad count');

  it('each has its literal name', () => {
    expect([checksum, download, source, idx, argument].map((e) => e.name)).toEqual([
      'ChecksumMismatchError',
      'DownloadError',
      'DataSourceError',
      'IdxFormatError',
      'DataArgumentError',
    ]);
  });

  it('isInstance follows the class hierarchy: a class and its subclasses, never a sibling', () => {
    expect(DataSourceError.isInstance(checksum)).toBe(true);
    expect(DownloadError.isInstance(checksum)).toBe(true);
    expect(ChecksumMismatchError.isInstance(checksum)).toBe(true);
    expect(ChecksumMismatchError.isInstance(download)).toBe(false);
    expect(DownloadError.isInstance(source)).toBe(false);
    expect(DataSourceError.isInstance(idx)).toBe(false);
    expect(IdxFormatError.isInstance(argument)).toBe(false);
    expect(DataArgumentError.isInstance(new MnistError('other'))).toBe(false);
    for (const error of [checksum, download, source, idx, argument]) {
      expect(MnistError.isInstance(error)).toBe(true);
    }
  });
});
