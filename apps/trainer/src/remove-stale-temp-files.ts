import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { ATOMIC_TEMP_FILE_NAME } from '@mnist/core/node';
import { isProcessAlive } from './is-process-alive.js';

// The temp names our writers use, each carrying the writing process's pid: the write probe of
// ensureWritableDir (`.write-test-<pid>`) and every atomic write (writeFileAtomic, and saveModel
// through writeFilesAtomic), whose names ATOMIC_TEMP_FILE_NAME of @mnist/core/node describes.
const WRITE_PROBE = /^\.write-test-(?<pid>\d+)$/;

/**
 * Removes from `dir` the temp files that a killed run left half-written: ours by name, and only when
 * the process that wrote them is gone, so a write in progress elsewhere is never touched. Such
 * files are never renamed into place or read, so removing them loses nothing.
 */
export async function removeStaleTempFiles(dir: string): Promise<void> {
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const pid = Number((WRITE_PROBE.exec(name) ?? ATOMIC_TEMP_FILE_NAME.exec(name))?.groups?.['pid']);
    if (Number.isInteger(pid) && pid !== process.pid && !isProcessAlive(pid)) {
      await rm(path.join(dir, name), { force: true });
    }
  }
}
