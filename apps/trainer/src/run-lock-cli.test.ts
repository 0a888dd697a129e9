import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECKPOINT_FILE } from './checkpoint-file.js';
import { writeMnistSubset } from './fixtures/write-mnist-subset.js';
import { RUN_LOCK_FILE, type RunLockOwner } from './run-lock.js';
import { assertCliBuilt, killCliProcesses, spawnCli, until } from './spawn-cli.js';

// Two real trainer processes on one --out: the second refuses at once, naming the first; a lock
// left by a process that is gone is taken over. Tiny data and model: seconds per process.
let dir: string;
let dataDir: string;

const start = (args: string[]) => spawnCli(dir, args);

/** A run long enough to be caught in the middle: 60 epochs of 13 batches. */
const LONG_RUN = [
  ['--epochs', '60', '--batch-size', '32', '--seed', '3', '--validation-split', '0.2', '--backend', 'wasm'],
  ['--conv-layers', '1', '--filters', '4', '--dense-units', '16', '--target-accuracy', 'off'],
].flat();

/** The summary line of the first of 60 epochs (padded to the width of the last). */
const FIRST_EPOCH_DONE = /^epoch +1\/60 {2}loss/m;

/** The pid of a process that has exited: kill(pid, 0) fails with ESRCH. */
const deadPid = Number(
  spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString(),
);

/** A lock as a trainer that was SIGKILLed leaves it. */
function staleLock(argv: string[]): RunLockOwner {
  return {
    pid: deadPid,
    hostname: hostname(),
    startedAt: '2026-11-30T08:00:00.000Z',
    argv,
    cwd: dir,
    token: '0123456789abcdef',
  };
}

beforeAll(async () => {
  assertCliBuilt();
  dir = await mkdtemp(path.join(tmpdir(), 'trainer-lock-cli-'));
  dataDir = path.join(dir, 'mnist');
  await writeMnistSubset(dataDir, { train: 500, test: 100 });
});
afterAll(async () => {
  killCliProcesses();
  await rm(dir, { recursive: true, force: true });
});

describe('mnist-train on an --out another trainer is using', { timeout: 180_000 }, () => {
  it('refuses a second run and a --resume at once (status 1) naming the running one; a --resume takes it once free', async () => {
    const first = start([...LONG_RUN, '--data-dir', dataDir, '--out', 'shared', '--checkpoint-every', '4']);
    const out = path.join(dir, 'shared');
    // Training has started and left a checkpoint that a --resume could take.
    await until(
      () => FIRST_EPOCH_DONE.test(first.output()) && existsSync(path.join(out, CHECKPOINT_FILE)),
      'the first run to train',
    );
    const lock = JSON.parse(await readFile(path.join(out, RUN_LOCK_FILE), 'utf8')) as RunLockOwner;
    expect(lock).toMatchObject({ pid: first.child.pid, cwd: dir, argv: expect.arrayContaining(['shared']) });

    const t0 = performance.now();
    const second = await start([...LONG_RUN, '--data-dir', dataDir, '--out', 'shared']).done;
    const seconds = (performance.now() - t0) / 1000;
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(
      `mnist-train: the output folder ${out} is in use by another mnist-train run: pid ${first.child.pid}, ` +
        `started ${lock.startedAt} (`,
    );
    expect(second.stderr).toContain(`running "mnist-train ${lock.argv.join(' ')}" in ${dir}`);
    expect(second.stderr).toContain(`kill -INT ${first.child.pid}`);
    // Refused before loading data or building a model (the process start itself takes a second or two).
    expect(second.stdout).not.toContain('data:');
    expect(seconds).toBeLessThan(30);

    const resume = await start(['--resume', 'shared']).done;
    expect(resume.code).toBe(1);
    expect(resume.stderr).toContain(`is in use by another mnist-train run: pid ${first.child.pid}`);
    // Neither touched the first run's lock.
    expect(JSON.parse(await readFile(path.join(out, RUN_LOCK_FILE), 'utf8'))).toEqual(lock);

    first.child.kill('SIGINT');
    expect((await first.done).code).toBe(130);
    expect(await readdir(out)).not.toContain(RUN_LOCK_FILE);

    // Free again: a --resume takes the lock and trains (stopped once it has shown it does).
    const resumed = start(['--resume', 'shared']);
    await until(() => resumed.output().includes('resuming from'), 'the resumed run to start');
    await until(() => /^epoch +\d+ {2}\d+% /m.test(resumed.output()), 'the resumed run to train');
    const taken = JSON.parse(await readFile(path.join(out, RUN_LOCK_FILE), 'utf8')) as RunLockOwner;
    expect(taken).toMatchObject({ pid: resumed.child.pid, argv: ['--resume', 'shared'] });
    resumed.child.kill('SIGINT');
    expect((await resumed.done).code).toBe(130);
    expect(await readdir(out)).not.toContain(RUN_LOCK_FILE);
  });

  it('removes its lock when the run fails after taking it', async () => {
    // A dead run's lock makes the takeover visible; the data is loaded after it, and an empty
    // --data-dir fails the run there.
    const out = path.join(dir, 'failing');
    await mkdir(out);
    await writeFile(path.join(out, RUN_LOCK_FILE), JSON.stringify(staleLock(['--out', 'failing'])));
    const empty = path.join(dir, 'no-data');
    await mkdir(empty);
    const run = await start([...LONG_RUN, '--data-dir', empty, '--out', 'failing']).done;
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`note: took over ${path.join(out, RUN_LOCK_FILE)}`);
    expect(run.stderr).toContain(empty);
    expect(await readdir(out)).toEqual([]);
  });

  it('takes over a lock whose process is gone, with a note naming it', async () => {
    const out = path.join(dir, 'stale');
    await mkdir(out);
    await writeFile(path.join(out, RUN_LOCK_FILE), JSON.stringify(staleLock(['--out', 'stale'])));
    const run = await start([...LONG_RUN, '--epochs', '1', '--data-dir', dataDir, '--out', 'stale']).done;
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      `note: took over ${path.join(out, RUN_LOCK_FILE)} from a run that is gone (pid ${deadPid}, ` +
        `started 2026-11-30T08:00:00.000Z (`,
    );
    expect((await readdir(out)).sort()).toEqual(['metrics.json', 'model.json', 'report.html', 'weights.bin']);
  });
});
