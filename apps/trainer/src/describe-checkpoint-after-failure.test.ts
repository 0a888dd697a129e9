import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECKPOINT_FILE } from './checkpoint-file.js';
import { describeCheckpointAfterFailure } from './describe-checkpoint-after-failure.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'trainer-after-failure-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

// The verified cases (a whole checkpoint mid-run and at the end of training) are covered through
// the CLI in write-failure-cli.test.ts; these are the ones a real run rarely produces.
describe('describeCheckpointAfterFailure', () => {
  it('says when there is no checkpoint to resume', async () => {
    expect(await describeCheckpointAfterFailure(dir, 'mnist-train --resume x', 'ENOSPC')).toBe(
      'no checkpoint had been written yet, so there is nothing to resume',
    );
  });

  it('does not call a checkpoint intact that fails its checks', async () => {
    const folder = await mkdtemp(path.join(dir, 'damaged-'));
    await writeFile(
      path.join(folder, CHECKPOINT_FILE),
      'not a checkpoint, and longer than its digest'.repeat(3),
    );
    expect(await describeCheckpointAfterFailure(folder, 'mnist-train --resume x', 'EIO')).toBe(
      `and the checkpoint does not verify either: ${path.join(folder, CHECKPOINT_FILE)}: the checkpoint is damaged or not a checkpoint (checksum mismatch)`,
    );
  });
});
