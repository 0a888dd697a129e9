import { execFileSync } from 'node:child_process';
import { copyFile, mkdir } from 'node:fs/promises';
import path from 'node:path';

/**
 * Copies the files git knows of (tracked, plus untracked ones it does not ignore) into `target`,
 * so the release test can version and publish without touching the real checkout.
 */
export async function copyWorkspace(root: string, target: string): Promise<void> {
  const listing = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: root,
    maxBuffer: 64 * 1024 * 1024,
  });
  const files = listing.toString().split('\0').filter(Boolean);
  for (const file of files) {
    const from = path.join(root, file);
    const to = path.join(target, file);
    await mkdir(path.dirname(to), { recursive: true });
    try {
      await copyFile(from, to);
    } catch (error) {
      // git lists files deleted in the working tree but not yet staged; they are not part of it.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
}
