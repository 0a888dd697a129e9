import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { OutputDirError } from './output-dir-error.js';
import { removeStaleTempFiles } from './remove-stale-temp-files.js';

/**
 * Creates `dir` if needed and proves it is writable by writing and removing a probe file, so a bad
 * `--out` fails in a second instead of after an hour of training; then clears the temp files that
 * killed earlier runs left there. Throws `OutputDirError`.
 */
export async function ensureWritableDir(dir: string, flag = '--out'): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    throw new OutputDirError(`${flag} ${dir}: cannot create the folder (${describe(error)}).`, {
      cause: error,
    });
  }
  const probe = path.join(dir, `.write-test-${process.pid}`);
  try {
    await writeFile(probe, '');
  } catch (error) {
    throw new OutputDirError(`${flag} ${dir}: the folder is not writable (${describe(error)}).`, {
      cause: error,
    });
  }
  await rm(probe, { force: true });
  await removeStaleTempFiles(dir);
}

function describe(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code ?? (error instanceof Error ? error.message : String(error));
}
