import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileAtomic } from './write-file-atomic.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'trainer-atomic-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeFileAtomic', () => {
  it('replaces the file and leaves no temp file', async () => {
    const file = path.join(dir, 'metrics.json');
    await writeFileAtomic(file, 'first');
    await writeFileAtomic(file, new TextEncoder().encode('second'));
    expect(await readFile(file, 'utf8')).toBe('second');
    expect(await readdir(dir)).toEqual(['metrics.json']);
  });

  it('fails without leaving a temp file when the target cannot be replaced', async () => {
    const sub = path.join(dir, 'sub');
    await writeFileAtomic(path.join(dir, 'x'), 'x');
    // Renaming a file over a non-empty folder fails.
    const { mkdir, writeFile } = await import('node:fs/promises');
    await mkdir(path.join(sub, 'inner'), { recursive: true });
    await writeFile(path.join(sub, 'inner', 'f'), '');
    await expect(writeFileAtomic(path.join(sub, 'inner'), 'data')).rejects.toThrow();
    expect((await readdir(sub)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });
});
