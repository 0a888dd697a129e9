import type { FileHandle } from 'node:fs/promises';
import { mkdir, mkdtemp, open, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ATOMIC_TEMP_FILE_NAME, writeFileAtomic, writeFilesAtomic } from './write-file-atomic.js';

// The helper's file-system calls pass through to Node; single calls are replaced to inject the
// failures a real disk produces only rarely (a full disk mid-write, a failing fsync).
vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  return { ...actual, open: vi.fn(actual.open), rename: vi.fn(actual.rename) };
});
const actual = await vi.importActual<typeof import('node:fs/promises')>('node:fs/promises');

let root: string;
let dir: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'core-atomic-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});
let count = 0;
beforeEach(async () => {
  dir = path.join(root, `case-${++count}`);
  await mkdir(dir);
});
afterEach(() => {
  vi.mocked(open).mockReset().mockImplementation(actual.open);
  vi.mocked(rename).mockReset().mockImplementation(actual.rename);
});

function errnoError(code: string, syscall: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: injected, ${syscall}`), { code, syscall });
}

/** Makes the next `open` of a path matching `which` return a handle whose `method` misbehaves. */
function injectIntoNextOpen(which: (file: string) => boolean, patch: (handle: FileHandle) => void): void {
  vi.mocked(open).mockImplementation(async (...args: Parameters<typeof actual.open>) => {
    const handle = await actual.open(...args);
    if (which(String(args[0]))) {
      vi.mocked(open).mockImplementation(actual.open);
      patch(handle);
    }
    return handle;
  });
}

const isTemp = (file: string) => ATOMIC_TEMP_FILE_NAME.test(path.basename(file));

describe('writeFileAtomic', () => {
  it('replaces the file and leaves no temp file', async () => {
    const file = path.join(dir, 'metrics.json');
    await writeFileAtomic(file, 'first');
    await writeFileAtomic(file, new TextEncoder().encode('second'));
    expect(await readFile(file, 'utf8')).toBe('second');
    expect(await readdir(dir)).toEqual(['metrics.json']);
  });

  it('writes through a temp file beside the target, named after it and this process', async () => {
    const file = path.join(dir, 'report.html');
    await writeFileAtomic(file, '<p>hi</p>');
    const temp = String(vi.mocked(rename).mock.calls[0]?.[0]);
    expect(path.dirname(temp)).toBe(dir);
    expect(ATOMIC_TEMP_FILE_NAME.exec(path.basename(temp))?.groups).toEqual({
      target: 'report.html',
      pid: String(process.pid),
    });
    expect(vi.mocked(rename).mock.calls[0]?.[1]).toBe(file);
  });

  it('fails without leaving a temp file when the target cannot be replaced', async () => {
    // Renaming a file over a non-empty folder fails.
    await mkdir(path.join(dir, 'inner'));
    await writeFile(path.join(dir, 'inner', 'f'), 'kept');
    await expect(writeFileAtomic(path.join(dir, 'inner'), 'data')).rejects.toThrow();
    expect(await readdir(dir)).toEqual(['inner']);
    expect(await readFile(path.join(dir, 'inner', 'f'), 'utf8')).toBe('kept');
  });

  it('leaves the previous file whole and no temp file when the write fails half-way', async () => {
    const file = path.join(dir, 'checkpoint.ckpt');
    await writeFileAtomic(file, 'previous contents');
    const full = errnoError('ENOSPC', 'write');
    injectIntoNextOpen(isTemp, (handle) => {
      handle.writeFile = async () => {
        await handle.write(new TextEncoder().encode('half of the n'));
        throw full;
      };
    });
    await expect(writeFileAtomic(file, 'half of the new contents')).rejects.toBe(full);
    expect(await readFile(file, 'utf8')).toBe('previous contents');
    expect(await readdir(dir)).toEqual(['checkpoint.ckpt']);
  });

  it('leaves the previous file whole and no temp file when flushing the temp file fails', async () => {
    const file = path.join(dir, 'state.json');
    await writeFileAtomic(file, '{"v":1}');
    const failed = errnoError('EIO', 'fsync');
    injectIntoNextOpen(isTemp, (handle) => {
      handle.sync = () => Promise.reject(failed);
    });
    await expect(writeFileAtomic(file, '{"v":2}')).rejects.toBe(failed);
    expect(await readFile(file, 'utf8')).toBe('{"v":1}');
    expect(await readdir(dir)).toEqual(['state.json']);
  });

  it('fails when the folder does not exist, creating nothing', async () => {
    const error = await writeFileAtomic(path.join(dir, 'missing', 'a.json'), '{}').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ENOENT' });
    expect(await readdir(dir)).toEqual([]);
  });

  it('syncs the folder after the rename, and ignores a platform that cannot sync folders', async () => {
    const file = path.join(dir, 'a.txt');
    let synced = 0;
    injectIntoNextOpen(
      (opened) => opened === dir,
      (handle) => {
        handle.sync = () => {
          synced += 1;
          return Promise.reject(errnoError('EINVAL', 'fsync'));
        };
      },
    );
    await writeFileAtomic(file, 'content');
    expect(synced).toBe(1);
    expect(await readFile(file, 'utf8')).toBe('content');
    expect(await readdir(dir)).toEqual(['a.txt']);
  });

  it('reports a folder sync that fails for another reason, with the new file in place', async () => {
    const file = path.join(dir, 'a.txt');
    const failed = errnoError('EIO', 'fsync');
    injectIntoNextOpen(
      (opened) => opened === dir,
      (handle) => {
        handle.sync = () => Promise.reject(failed);
      },
    );
    await expect(writeFileAtomic(file, 'content')).rejects.toBe(failed);
    expect(await readFile(file, 'utf8')).toBe('content');
    expect(await readdir(dir)).toEqual(['a.txt']);
  });
});

describe('writeFilesAtomic', () => {
  const group = (tag: string) => [
    { path: path.join(dir, 'weights.bin'), data: new TextEncoder().encode(`weights ${tag}`) },
    { path: path.join(dir, 'model.json'), data: `model ${tag}` },
  ];
  const contents = async () =>
    Object.fromEntries(
      await Promise.all(
        (await readdir(dir)).sort().map(async (name) => [name, await readFile(path.join(dir, name), 'utf8')]),
      ),
    );

  it('writes every file, the last one (the commit point) last, and leaves no temp file', async () => {
    await writeFilesAtomic(group('one'));
    vi.mocked(rename).mockClear();
    await writeFilesAtomic(group('two'));
    expect(await contents()).toEqual({ 'model.json': 'model two', 'weights.bin': 'weights two' });
    expect(vi.mocked(rename).mock.calls.map(([, to]) => path.basename(String(to)))).toEqual([
      'weights.bin',
      'model.json',
    ]);
  });

  it('leaves every previous file whole when writing a later file of the group fails', async () => {
    await writeFilesAtomic(group('old'));
    const full = errnoError('ENOSPC', 'write');
    injectIntoNextOpen(
      (opened) => isTemp(opened) && path.basename(opened).startsWith('.model.json.'),
      (handle) => {
        handle.writeFile = () => Promise.reject(full);
      },
    );
    await expect(writeFilesAtomic(group('new'))).rejects.toBe(full);
    expect(await contents()).toEqual({ 'model.json': 'model old', 'weights.bin': 'weights old' });
  });

  it('leaves no commit file, never an old one beside new companions, when a rename fails', async () => {
    await writeFilesAtomic(group('old'));
    const failed = errnoError('EIO', 'rename');
    vi.mocked(rename).mockImplementation(async (from, to) => {
      if (path.basename(String(to)) === 'model.json') throw failed;
      return actual.rename(from, to);
    });
    await expect(writeFilesAtomic(group('new'))).rejects.toBe(failed);
    expect(await contents()).toEqual({ 'weights.bin': 'weights new' });
  });

  it('removes every temp file when the first rename fails', async () => {
    await mkdir(path.join(dir, 'weights.bin', 'blocker'), { recursive: true });
    await expect(writeFilesAtomic(group('new'))).rejects.toThrow();
    expect(await readdir(dir)).toEqual(['weights.bin']);
  });

  it('writes a group of one like writeFileAtomic, and an empty group as nothing', async () => {
    await writeFilesAtomic([{ path: path.join(dir, 'only.txt'), data: 'alone' }]);
    await writeFilesAtomic([]);
    expect(await contents()).toEqual({ 'only.txt': 'alone' });
  });

  it('refuses a group that names one file twice, before writing anything', async () => {
    const file = path.join(dir, 'twice.json');
    await expect(
      writeFilesAtomic([
        { path: file, data: 'a' },
        { path: path.join(dir, '.', 'twice.json'), data: 'b' },
      ]),
    ).rejects.toThrow(TypeError);
    expect(await readdir(dir)).toEqual([]);
  });
});

describe('ATOMIC_TEMP_FILE_NAME', () => {
  it('matches the temp names and nothing a user would keep', () => {
    expect(ATOMIC_TEMP_FILE_NAME.exec('.metrics.json.4242.0123456789abcdef.tmp')?.groups).toEqual({
      target: 'metrics.json',
      pid: '4242',
    });
    for (const name of ['metrics.json', '.hidden', '.a.json.12.abc.tmp', 'a.json.12.0123456789abcdef.tmp']) {
      expect(ATOMIC_TEMP_FILE_NAME.test(name), name).toBe(false);
    }
  });
});
