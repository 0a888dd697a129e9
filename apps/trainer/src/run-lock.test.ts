import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutputDirError } from './output-dir-error.js';
import { acquireRunLock, RUN_LOCK_FILE, type RunLockOwner } from './run-lock.js';
import { RunLockedError } from './run-locked-error.js';

let root: string;
let sleeper: ChildProcess;
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'trainer-lock-'));
  // A live process that is not this one, to hold a lock.
  sleeper = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
});
afterAll(async () => {
  sleeper.kill('SIGKILL');
  await rm(root, { recursive: true, force: true });
});

// The pid of a process that has exited: kill(pid, 0) fails with ESRCH.
const deadPid = Number(
  spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString(),
);

const run = { argv: ['--epochs', '3', '--out', 'run'], cwd: '/home/me', startedAt: new Date() };

async function folder(name: string): Promise<string> {
  const dir = path.join(root, name);
  await mkdir(dir, { recursive: true });
  return dir;
}

function ownerOf(pid: number, token = 'feedfacefeedface'): RunLockOwner {
  return {
    pid,
    hostname: hostname(),
    startedAt: '2026-12-01T10:00:00.000Z',
    argv: ['--epochs', '12', '--out', 'shared'],
    cwd: '/home/other',
    token,
  };
}

describe('acquireRunLock', () => {
  it('writes a lock naming this process, and release removes it without leaving a temp file', async () => {
    const dir = await folder('free');
    const lock = await acquireRunLock(dir, run);
    expect(lock.file).toBe(path.join(dir, RUN_LOCK_FILE));
    expect(lock.replaced).toBeNull();
    expect(await readdir(dir)).toEqual([RUN_LOCK_FILE]);
    expect(JSON.parse(await readFile(lock.file, 'utf8'))).toEqual({
      pid: process.pid,
      hostname: hostname(),
      startedAt: run.startedAt.toISOString(),
      argv: run.argv,
      cwd: '/home/me',
      token: expect.stringMatching(/^[0-9a-f]{16}$/),
    });
    await lock.release();
    expect(await readdir(dir)).toEqual([]);
    // A released folder can be locked again.
    await (await acquireRunLock(dir, run)).release();
  });

  it('removes its lock at process exit when the run did not release it (a second Ctrl-C exits at once)', async () => {
    const dir = await folder('exit');
    const before = process.listeners('exit');
    const lock = await acquireRunLock(dir, run);
    const added = process.listeners('exit').filter((listener) => !before.includes(listener));
    expect(added).toHaveLength(1);
    (added[0] as () => void)();
    expect(await readdir(dir)).toEqual([]);
    await lock.release();
    expect(process.listeners('exit')).toEqual(before);
  });

  it('refuses while a live process holds the lock, naming its pid, start time, command and the file', async () => {
    const dir = await folder('held');
    const holder = ownerOf(sleeper.pid!);
    await writeFile(path.join(dir, RUN_LOCK_FILE), JSON.stringify(holder));
    const attempt = acquireRunLock(dir, run);
    await expect(attempt).rejects.toSatisfy(RunLockedError.isInstance);
    const message = String(
      await attempt.then(
        () => '',
        (error: Error) => error.message,
      ),
    );
    expect(message).toContain(
      `the output folder ${dir} is in use by another mnist-train run: pid ${sleeper.pid}`,
    );
    expect(message).toContain('started 2026-12-01T10:00:00.000Z (');
    expect(message).toContain('running "mnist-train --epochs 12 --out shared" in /home/other');
    expect(message).toContain(`delete the lock file ${path.join(dir, RUN_LOCK_FILE)}`);
    // Untouched, and no temp file of ours left beside it.
    expect(JSON.parse(await readFile(path.join(dir, RUN_LOCK_FILE), 'utf8'))).toEqual(holder);
    expect(await readdir(dir)).toEqual([RUN_LOCK_FILE]);
  });

  it('lets exactly one of two runs starting together take a free folder', async () => {
    const dir = await folder('race');
    const outcomes = await Promise.allSettled([acquireRunLock(dir, run), acquireRunLock(dir, run)]);
    const won = outcomes.filter((o) => o.status === 'fulfilled');
    const lost = outcomes.filter((o) => o.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(RunLockedError.isInstance((lost[0] as PromiseRejectedResult).reason)).toBe(true);
    expect(String((lost[0] as PromiseRejectedResult).reason.message)).toContain(`pid ${process.pid}`);
    await (won[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof acquireRunLock>>>).value.release();
    expect(await readdir(dir)).toEqual([]);
  });

  it('takes over the lock of a process that is gone, and says whose it was', async () => {
    const dir = await folder('stale');
    const dead = ownerOf(deadPid);
    await writeFile(path.join(dir, RUN_LOCK_FILE), JSON.stringify(dead));
    const lock = await acquireRunLock(dir, run);
    expect(lock.replaced).toEqual(dead);
    expect(JSON.parse(await readFile(lock.file, 'utf8'))).toMatchObject({ pid: process.pid });
    expect(await readdir(dir)).toEqual([RUN_LOCK_FILE]);
    await lock.release();
    expect(await readdir(dir)).toEqual([]);
  });

  it('takes over a lock naming this very pid that this process does not hold (a reused pid)', async () => {
    const dir = await folder('reused-pid');
    await writeFile(path.join(dir, RUN_LOCK_FILE), JSON.stringify(ownerOf(process.pid)));
    const lock = await acquireRunLock(dir, run);
    expect(lock.replaced).toMatchObject({ pid: process.pid, token: 'feedfacefeedface' });
    await lock.release();
  });

  it('refuses a lock file it cannot read, and says to delete it if no run uses the folder', async () => {
    const dir = await folder('garbage');
    await writeFile(path.join(dir, RUN_LOCK_FILE), '{"pid": "many"');
    await expect(acquireRunLock(dir, run)).rejects.toThrow(
      `the output folder ${dir} is locked by ${path.join(dir, RUN_LOCK_FILE)}, which is not a lock this trainer can read; if no mnist-train run uses the folder, delete the file`,
    );
  });

  it('leaves alone a lock that is no longer its own when released', async () => {
    const dir = await folder('replaced-under-us');
    const lock = await acquireRunLock(dir, run);
    const other = JSON.stringify(ownerOf(sleeper.pid!));
    await writeFile(lock.file, other);
    await lock.release();
    expect(await readFile(lock.file, 'utf8')).toBe(other);
  });

  it('falls back to an exclusive create where the filesystem has no hard links', async () => {
    const dir = await folder('no-links');
    const link = async () => {
      throw Object.assign(new Error('EPERM: operation not permitted, link'), { code: 'EPERM' });
    };
    const lock = await acquireRunLock(dir, run, { link });
    expect(JSON.parse(await readFile(lock.file, 'utf8'))).toMatchObject({ pid: process.pid });
    expect(await readdir(dir)).toEqual([RUN_LOCK_FILE]);
    await expect(acquireRunLock(dir, run, { link })).rejects.toSatisfy(RunLockedError.isInstance);
    await lock.release();
    expect(await readdir(dir)).toEqual([]);
  });

  it('reports a lock it cannot write as an OutputDirError naming the folder and the cause', async () => {
    const dir = path.join(root, 'missing');
    const attempt = acquireRunLock(dir, run);
    await expect(attempt).rejects.toSatisfy(OutputDirError.isInstance);
    await expect(attempt).rejects.toThrow(`${dir}: cannot create the lock file ${RUN_LOCK_FILE} (ENOENT).`);
  });
});
