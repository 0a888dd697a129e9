import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECKPOINT_FILE, readCheckpoint } from './checkpoint-file.js';
import { writeMnistSubset } from './fixtures/write-mnist-subset.js';

// A disk that fills while the trainer writes, injected: fixtures/fail-writes.mjs, preloaded into
// the real CLI, makes one chosen write put half its bytes down and fail with ENOSPC, as a full
// disk does. The same failures on a real full filesystem (a small tmpfs, root only) are in
// disk-full-cli.test.ts, in the end-to-end lane.
const appDir = fileURLToPath(new URL('..', import.meta.url));
const cli = path.join(appDir, 'dist', 'cli.js');
const failWrites = fileURLToPath(new URL('./fixtures/fail-writes.mjs', import.meta.url));
const run = promisify(execFile);

let dir: string;
let dataDir: string;

/** 2 epochs of 13 batches, a checkpoint every 2 batches and at each epoch's end. */
const RUN = [
  ['--epochs', '2', '--batch-size', '32', '--seed', '9', '--validation-split', '0.2', '--backend', 'wasm'],
  ['--conv-layers', '1', '--filters', '4', '--dense-units', '16', '--target-accuracy', 'off'],
  ['--checkpoint-every', '2'],
].flat();

async function runCli(
  args: string[],
  failWrite?: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const preload = failWrite === undefined ? [] : ['--import', failWrites];
  const env = {
    ...process.env,
    INIT_CWD: '',
    ...(failWrite === undefined ? {} : { MNIST_TEST_FAIL_WRITE: failWrite }),
  };
  try {
    const { stdout, stderr } = await run(process.execPath, [...preload, cli, ...args], { cwd: dir, env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(async () => {
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run \`pnpm --filter @mnist/cli build\` first`);
  dir = await mkdtemp(path.join(tmpdir(), 'trainer-write-failure-'));
  dataDir = path.join(dir, 'mnist');
  await writeMnistSubset(dataDir, { train: 500, test: 100 });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('mnist-train when a write fails with ENOSPC (injected)', { timeout: 120_000 }, () => {
  it('keeps the previous checkpoint whole, says so and how to resume, and the resume finishes the run', async () => {
    const out = path.join(dir, 'checkpoint-fails');
    const before = await runCli([...RUN, '--data-dir', dataDir, '--out', out], 'checkpoint:3');
    const file = path.join(out, CHECKPOINT_FILE);
    expect(before.code).toBe(1);
    // The third checkpoint (at batch 6) failed; the second (batch 4: the next batch is the 5th) is on disk.
    expect(before.stderr).toBe(
      `mnist-train: cannot write the checkpoint ${file}: no space left on the device (ENOSPC); ` +
        `the previous checkpoint ${file} is intact (verified; it continues at epoch 1, batch 5): ` +
        `free some space, then resume with: mnist-train --resume ${out}\n`,
    );
    // Neither the half-written temp file nor the lock is left behind.
    expect(await readdir(out)).toEqual([CHECKPOINT_FILE]);
    expect((await readCheckpoint(out)).checkpoint.state).toMatchObject({ epoch: 0, batch: 4 });

    const resumed = await runCli(['--resume', out, '--quiet']);
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    expect((await readdir(out)).sort()).toEqual(['metrics.json', 'model.json', 'report.html', 'weights.bin']);
  });

  it('says there is nothing to resume when the first checkpoint fails', async () => {
    const out = path.join(dir, 'first-fails');
    const outcome = await runCli(
      [...RUN, '--data-dir', dataDir, '--out', out, '--json', '--quiet'],
      'checkpoint:1',
    );
    expect(outcome.code).toBe(1);
    const message =
      `cannot write the checkpoint ${path.join(out, CHECKPOINT_FILE)}: no space left on the device (ENOSPC); ` +
      'no checkpoint had been written yet, so there is nothing to resume';
    expect(outcome.stderr).toBe(`mnist-train: ${message}\n`);
    const last = JSON.parse(outcome.stdout.trim().split('\n').at(-1) ?? '{}');
    expect(last).toMatchObject({ type: 'error', exitStatus: 1, message, checkpoint: null });
    expect(await readdir(out)).toEqual([]);
  });

  it('keeps the last checkpoint when the model save fails, and a resume only evaluates and saves', async () => {
    const out = path.join(dir, 'model-fails');
    const outcome = await runCli([...RUN, '--data-dir', dataDir, '--out', out], 'weights:1');
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toBe(
      `mnist-train: cannot write the model (model.json + weights.bin) into ${out}: no space left on the device (ENOSPC); ` +
        `the previous checkpoint ${path.join(out, CHECKPOINT_FILE)} is intact (verified; training is complete in it, ` +
        `so a resume only evaluates and saves): free some space, then resume with: mnist-train --resume ${out}\n`,
    );
    expect(await readdir(out)).toEqual([CHECKPOINT_FILE]);

    const resumed = await runCli(['--resume', out]);
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).not.toMatch(/^epoch /m);
    expect((await readdir(out)).sort()).toEqual(['metrics.json', 'model.json', 'report.html', 'weights.bin']);
    const metrics = JSON.parse(await readFile(path.join(out, 'metrics.json'), 'utf8'));
    expect(metrics.history).toHaveLength(2);
  });
});
