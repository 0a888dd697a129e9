import { chmod, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWritableDir } from './ensure-writable-dir.js';
import { OutputDirError } from './output-dir-error.js';

/** The uid of `nobody` on Linux and macOS; it needs no passwd entry to be an effective uid. */
const NOBODY = 65534;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'trainer-out-'));
});
afterAll(async () => {
  await chmod(path.join(dir, 'locked'), 0o755).catch(() => {});
  await rm(dir, { recursive: true, force: true });
});

/**
 * Runs `task` so that permission bits apply to it. Root ignores them (CI runs as root, and a 0555
 * folder is writable to root), so as root the task runs with the effective uid of `nobody`; the saved
 * uid stays 0, which lets us switch back. Faking it with a file where the folder should be would fail
 * in mkdir (the previous test's path) instead of in the write probe this test is about.
 */
async function asUnprivilegedUser<T>(task: () => Promise<T>): Promise<T> {
  if (process.getuid?.() !== 0) return task();
  if (typeof process.seteuid !== 'function') {
    throw new Error(
      'running as root needs process.seteuid, which worker threads lack: run this file in a forked process',
    );
  }
  // `nobody` must be able to reach the folder: mkdtemp made its parent 0700.
  await chmod(dir, 0o755);
  process.seteuid(NOBODY);
  try {
    return await task();
  } finally {
    process.seteuid(0);
  }
}

describe('ensureWritableDir', () => {
  it('creates nested folders and leaves no probe file behind', async () => {
    const out = path.join(dir, 'a', 'b');
    await ensureWritableDir(out);
    expect(await readdir(out)).toEqual([]);
  });

  it('reports a path that is a file', async () => {
    const file = path.join(dir, 'file');
    await writeFile(file, 'x');
    const error = await ensureWritableDir(path.join(file, 'sub')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutputDirError);
    expect((error as Error).message).toMatch(/^--out .*file\/sub: cannot create the folder \(ENOTDIR\)/);
  });

  it('reports a folder without write permission', async () => {
    const locked = path.join(dir, 'locked');
    await ensureWritableDir(locked);
    await chmod(locked, 0o555);
    await expect(asUnprivilegedUser(() => ensureWritableDir(locked))).rejects.toThrow(
      /--out .*locked: the folder is not writable \(EACCES\)/,
    );
  });
});
