import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';

// The temp names our writers use, each carrying the writing process's pid: the write probe
// (`.write-test-<pid>`), writeFileAtomic (`.<name>.<pid>.<hex>.tmp`) and @mnist/model's saveModel
// (`.<name>.<pid>-<random>.tmp`).
const TEMP_NAME = /^\.(?:write-test-(\d+)|.+\.(\d+)[.-][0-9a-z]+\.tmp)$/;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes from `dir` the temp files that a killed run left half-written: ours by name, and only when
 * the process that wrote them is gone, so a write in progress elsewhere is never touched. Such
 * files are never renamed into place or read, so removing them loses nothing.
 */
export async function removeStaleTempFiles(dir: string): Promise<void> {
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const match = TEMP_NAME.exec(name);
    const pid = Number(match?.[1] ?? match?.[2]);
    if (match && pid !== process.pid && !isAlive(pid)) await rm(path.join(dir, name), { force: true });
  }
}
