import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeStaleTempFiles } from './remove-stale-temp-files.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'trainer-stale-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

// The pid of a process that has exited: nothing can be writing under its name any more.
const deadPid = spawnSync(process.execPath, [
  '-e',
  'process.stdout.write(String(process.pid))',
]).stdout.toString();

describe('removeStaleTempFiles', () => {
  it('removes the temp files of dead writers and keeps everything else', async () => {
    const stale = [
      `.write-test-${deadPid}`,
      `.metrics.json.${deadPid}.0a1b2c3d4e5f6a7b.tmp`,
      `.checkpoint.ckpt.${deadPid}.deadbeefdeadbeef.tmp`,
      `.weights.bin.${deadPid}.0123456789abcdef.tmp`, // saveModel stages its files the same way
    ];
    const kept = [
      'metrics.json',
      'model.json',
      '.hidden-notes',
      `.report.html.${process.pid}.0a1b2c3d4e5f6a7b.tmp`, // this process is alive and may be writing it
      `.model.json.${process.ppid}.0123456789abcdef.tmp`, // so is its parent
      `.notes.${deadPid}.tmp`, // not a name our writers use
    ];
    for (const name of [...stale, ...kept]) await writeFile(path.join(dir, name), 'x');
    await removeStaleTempFiles(dir);
    expect((await readdir(dir)).sort()).toEqual([...kept].sort());
  });

  it('ignores a folder that does not exist', async () => {
    await expect(removeStaleTempFiles(path.join(dir, 'missing'))).resolves.toBeUndefined();
  });
});
