import { chmod, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureWritableDir } from './ensure-writable-dir.js';
import { OutputDirError } from './output-dir-error.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'trainer-out-'));
});
afterAll(async () => {
  await chmod(path.join(dir, 'locked'), 0o755).catch(() => {});
  await rm(dir, { recursive: true, force: true });
});

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

  it.skipIf(process.getuid?.() === 0)('reports a folder without write permission', async () => {
    const locked = path.join(dir, 'locked');
    await ensureWritableDir(locked);
    await chmod(locked, 0o555);
    await expect(ensureWritableDir(locked)).rejects.toThrow(
      /--out .*locked: the folder is not writable \(EACCES\)/,
    );
  });
});
