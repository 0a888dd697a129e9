import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, open, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECKPOINT_FILE, readCheckpoint } from './checkpoint-file.js';
import { writeMnistSubset } from './fixtures/write-mnist-subset.js';
import { assertCliBuilt, killCliProcesses, spawnCli, until } from './spawn-cli.js';

// A disk that really fills: the real CLI writes into a small tmpfs, and the test fills it to the
// last byte while the trainer is held with SIGSTOP (so the moment is exact, not a race), then lets
// it go on: its next checkpoint, or its model save, meets ENOSPC from the kernel. Mounting needs
// root (CAP_SYS_ADMIN), so this is the end-to-end lane; where mount is refused the suite is
// skipped and says why. The same failures injected without root run in write-failure-cli.test.ts.
const TMPFS_SIZE = '4m';

let dir: string;
let dataDir: string;
let mnt: string;

/** Null when a tmpfs can be mounted here, else why not (not root, no CAP_SYS_ADMIN, no mount). */
const cannotMount: string | null = await (async () => {
  const probe = await mkdtemp(path.join(tmpdir(), 'trainer-mount-probe-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe], { stdio: 'pipe' });
    execFileSync('umount', [probe], { stdio: 'pipe' });
    return null;
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    return stderr || (error as Error).message;
  } finally {
    await rm(probe, { recursive: true, force: true });
  }
})();

const start = (args: string[]) => spawnCli(dir, args);

/** Writes `file` until the filesystem has no byte left (tmpfs allocates whole pages). */
async function fillDisk(file: string): Promise<void> {
  const handle = await open(file, 'w');
  try {
    for (const size of [1 << 20, 4096, 512, 1]) {
      const chunk = Buffer.alloc(size, 0x55);
      try {
        while (true) await handle.write(chunk);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
      }
    }
  } finally {
    await handle.close();
  }
}

/** Deletes `filler`, then a `--resume` of `out` completes: status 0, no stderr, only the run's outputs left. */
async function expectResumeCompletesOnceFreed(out: string, filler: string): Promise<void> {
  await rm(filler);
  const resumed = await start(['--resume', out, '--quiet']).done;
  expect(resumed.stderr).toBe('');
  expect(resumed.code).toBe(0);
  expect((await readdir(out)).sort()).toEqual(['metrics.json', 'model.json', 'report.html', 'weights.bin']);
}

const RUN = [
  ['--batch-size', '32', '--seed', '4', '--validation-split', '0.2', '--backend', 'wasm'],
  ['--conv-layers', '1', '--filters', '4', '--dense-units', '16', '--target-accuracy', 'off'],
].flat();

describe.skipIf(cannotMount !== null)(
  `mnist-train on a ${TMPFS_SIZE.replace('m', ' MB')} tmpfs that fills up${cannotMount === null ? '' : ` (skipped: cannot mount a tmpfs here: ${cannotMount})`}`,
  { timeout: 180_000 },
  () => {
    beforeAll(async () => {
      assertCliBuilt();
      dir = await mkdtemp(path.join(tmpdir(), 'trainer-disk-full-'));
      dataDir = path.join(dir, 'mnist');
      // Enough test images that the final evaluation is a moment to catch the run in.
      await writeMnistSubset(dataDir, { train: 500, test: 5000 });
      mnt = path.join(dir, 'disk');
      await mkdir(mnt);
      execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${TMPFS_SIZE}`, 'tmpfs', mnt]);
    });
    afterAll(async () => {
      killCliProcesses();
      if (mnt !== undefined) execFileSync('umount', ['-l', mnt], { stdio: 'ignore' });
      await rm(dir, { recursive: true, force: true });
    });

    it('keeps the previous checkpoint whole when a checkpoint meets ENOSPC, names it, and resumes from it', async () => {
      const out = path.join(mnt, 'checkpoint-run');
      const filler = path.join(mnt, 'filler');
      const file = path.join(out, CHECKPOINT_FILE);
      const run = start([
        ...RUN,
        '--epochs',
        '20',
        '--checkpoint-every',
        '1',
        '--data-dir',
        dataDir,
        '--out',
        out,
      ]);
      await until(() => /^epoch +1\/20 {2}loss/m.test(run.output()) && existsSync(file), 'the first epoch');
      run.child.kill('SIGSTOP');
      // Stopped between two writes or inside one: either way the next checkpoint cannot be written.
      const stopped = (await readCheckpoint(out)).checkpoint.state;
      await fillDisk(filler);
      run.child.kill('SIGCONT');
      const outcome = await run.done;
      expect(outcome.code).toBe(1);
      const line = outcome.stderr.trim().split('\n').at(-1) ?? '';
      expect(line).toMatch(
        new RegExp(
          `^mnist-train: cannot write the checkpoint ${file}: no space left on the device \\(ENOSPC\\); ` +
            `the previous checkpoint ${file} is intact \\(verified; it continues at epoch \\d+, batch \\d+\\): ` +
            `free some space, then resume with: mnist-train --resume ${out}$`,
        ),
      );
      // What the message promises: the checkpoint on the full disk reads back and verifies, no
      // half-written temp file or lock is left, and it is at or after where the run was stopped.
      const { state } = (await readCheckpoint(out)).checkpoint;
      expect(state.epoch * 1000 + state.batch).toBeGreaterThanOrEqual(stopped.epoch * 1000 + stopped.batch);
      expect(line).toContain(`epoch ${state.epoch + 1}, batch ${state.batch + 1}`);
      expect(await readdir(out)).toEqual([CHECKPOINT_FILE]);

      await expectResumeCompletesOnceFreed(out, filler);
    });

    it('keeps the last checkpoint when the model save meets ENOSPC, and a resume saves the model', async () => {
      const out = path.join(mnt, 'model-run');
      const filler = path.join(mnt, 'filler');
      const run = start([...RUN, '--epochs', '1', '--data-dir', dataDir, '--out', out]);
      // Training is over and its last checkpoint written; the model is saved after the evaluation.
      await until(() => run.output().includes('evaluating on 5,000 test images'), 'the evaluation');
      run.child.kill('SIGSTOP');
      await fillDisk(filler);
      run.child.kill('SIGCONT');
      const outcome = await run.done;
      expect(outcome.code).toBe(1);
      expect(outcome.stderr).toBe(
        `mnist-train: cannot write the model (model.json + weights.bin) into ${out}: no space left on the device (ENOSPC); ` +
          `the previous checkpoint ${path.join(out, CHECKPOINT_FILE)} is intact (verified; training is complete in it, ` +
          `so a resume only evaluates and saves): free some space, then resume with: mnist-train --resume ${out}\n`,
      );
      expect(await readdir(out)).toEqual([CHECKPOINT_FILE]);

      await expectResumeCompletesOnceFreed(out, filler);
    });
  },
);
