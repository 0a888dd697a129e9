import { randomBytes } from 'node:crypto';
import { type FileHandle, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';

// Written by hand rather than with the write-file-atomic package: these few lines are all we need,
// and the group write below (a commit file renamed last) is not something it offers.

/** The contents of a file: a string is written as UTF-8. */
export type AtomicFileData = string | Uint8Array;

/** One file of a group written by `writeFilesAtomic`. */
export interface AtomicFile {
  /** Where the file goes. */
  path: string;
  /** What it holds. */
  data: AtomicFileData;
}

/**
 * Matches the name of a temp file that `writeFileAtomic` or `writeFilesAtomic` creates beside its
 * target: `.<target name>.<pid>.<16 hex digits>.tmp`. The group `pid` is the writing process's id,
 * so that a cleaner can tell a file a killed process left behind (safe to remove) from one a live
 * process is still writing; the group `target` is the name of the file it would become.
 */
export const ATOMIC_TEMP_FILE_NAME = /^\.(?<target>.+)\.(?<pid>\d+)\.[0-9a-f]{16}\.tmp$/;

/**
 * Writes `data` to `file` so that a reader, or the file after a crash, is the old file or the whole
 * new one, never a part: the data goes to a temp file in the same folder (the same filesystem, so
 * the rename is atomic; named as `ATOMIC_TEMP_FILE_NAME` says), is flushed with fsync, renamed over
 * `file`, and the folder is fsynced so that the rename itself survives a power loss. The folder
 * must exist. On any failure the temp file is removed, `file` is left as it was, and the error of
 * the failing step is rethrown unchanged (callers wrap it in their own typed error). A failure of
 * the final folder fsync (other than on a platform that cannot sync folders, which is ignored) is
 * rethrown too: the new file is then in place but may not survive a power loss.
 *
 * Node only (`@mnist/core/node`). Resolves once the file is durable.
 */
export async function writeFileAtomic(file: string, data: AtomicFileData): Promise<void> {
  const temp = await stage(file, data);
  try {
    await rename(temp, file);
  } catch (error) {
    await removeQuietly(temp);
    throw error;
  }
  await syncFolder(path.dirname(file));
}

/**
 * Writes several files that belong together, such as a model's `model.json` and `weights.bin`,
 * with the LAST file as the commit point: readers that open the last file first (and find the
 * others through it) see the old group or the new one, never a mix. Every file is first written to
 * a temp file beside its target and fsynced; only then is the old last file removed (and that
 * removal made durable), the others renamed into place in order, the last one renamed last, and
 * each folder fsynced.
 *
 * A failure while the temp files are written (a full disk, say) leaves every previous file whole.
 * A failure during the renames leaves the last file absent, so the group reads as missing rather
 * than mismatched. Either way every temp file is removed and the error is rethrown unchanged.
 * Folders must exist. Node only (`@mnist/core/node`).
 *
 * @throws TypeError if two entries name the same file.
 */
export async function writeFilesAtomic(files: readonly AtomicFile[]): Promise<void> {
  const targets = files.map((file) => path.resolve(file.path));
  if (new Set(targets).size !== targets.length) {
    throw new TypeError(`writeFilesAtomic: the same file is named twice in ${targets.join(', ')}`);
  }
  const commit = targets.at(-1);
  if (commit === undefined) return;
  const pending: string[] = [];
  try {
    for (const file of files) pending.push(await stage(file.path, file.data));
    if (targets.length > 1) {
      // Made durable before any other file changes: after a crash mid-way the group reads as
      // missing, never as the old commit file beside new companions.
      await rm(commit, { force: true });
      await syncFolder(path.dirname(commit));
    }
    for (const [index, target] of targets.entries()) {
      await rename(pending[index]!, target);
      pending[index] = '';
    }
  } catch (error) {
    await Promise.all(pending.filter((temp) => temp !== '').map(removeQuietly));
    throw error;
  }
  for (const folder of new Set(targets.map((target) => path.dirname(target)))) await syncFolder(folder);
}

/** Writes `data` to a new temp file beside `target` and flushes it; returns the temp file's path. */
async function stage(target: string, data: AtomicFileData): Promise<string> {
  const temp = path.join(
    path.dirname(target),
    `.${path.basename(target)}.${process.pid}.${randomBytes(8).toString('hex')}.tmp`,
  );
  // 'wx': a fresh file of our own, never someone else's that happens to have the name.
  const handle = await open(temp, 'wx');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } catch (error) {
    await handle.close().catch(() => {});
    await removeQuietly(temp);
    throw error;
  }
  try {
    await handle.close();
  } catch (error) {
    await removeQuietly(temp);
    throw error;
  }
  return temp;
}

async function removeQuietly(file: string): Promise<void> {
  // Best effort while another error is on its way to the caller: that error is the one to report.
  await rm(file, { force: true }).catch(() => {});
}

/**
 * What opening or fsyncing a folder fails with where the platform or filesystem cannot do it:
 * Windows cannot open a folder as a file (EISDIR) or flush its handle (EPERM), and some filesystems
 * refuse fsync on folders (EINVAL, ENOTSUP, EBADF). There the rename is as durable as the platform
 * makes it, and failing the write would only make atomic writes impossible on it.
 */
const FOLDER_SYNC_UNSUPPORTED = new Set(['EISDIR', 'EPERM', 'EINVAL', 'ENOTSUP', 'EBADF']);

/** Flushes a folder's entries (the renames into it) to disk. */
async function syncFolder(folder: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(folder, 'r');
    await handle.sync();
  } catch (error) {
    if (!FOLDER_SYNC_UNSUPPORTED.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
  } finally {
    await handle?.close().catch(() => {});
  }
}
