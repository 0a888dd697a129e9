import { randomBytes } from 'node:crypto';
import { readFileSync, unlinkSync } from 'node:fs';
import { link as hardLink, open, readFile, rename, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { writeFileAtomic } from '@mnist/core/node';
import { isProcessAlive } from './is-process-alive.js';
import { OutputDirError } from './output-dir-error.js';
import { RunLockedError } from './run-locked-error.js';

/** File name of the lock in the output folder: present while a trainer uses the folder. */
export const RUN_LOCK_FILE = '.mnist-train.lock';

/** What a lock file says about the trainer holding it (the file is this object as JSON). */
export interface RunLockOwner {
  pid: number;
  /** The machine it runs on; a lock protects a folder against trainers of one machine. */
  hostname: string;
  /** When the run started (ISO 8601). */
  startedAt: string;
  /** The run's arguments as typed. */
  argv: string[];
  /** The folder the command was typed in. */
  cwd: string;
  /** Random: tells this run's lock from another one with the same pid (a reused pid). */
  token: string;
}

/** A lock this process holds on an output folder. */
export interface RunLock {
  /** The lock file's path. */
  file: string;
  owner: RunLockOwner;
  /** The lock of a dead trainer that this one replaced; null when the folder was free. */
  replaced: RunLockOwner | null;
  /** Removes the lock file if it is still this lock's; never throws. Also runs at process exit. */
  release(): Promise<void>;
}

/** Test seams of `acquireRunLock`. */
export interface AcquireRunLockOptions {
  /** Whether a process is alive; defaults to `process.kill(pid, 0)`. */
  isAlive?: (pid: number) => boolean;
  /** Creates the hard link that takes the lock; replaced to mimic a filesystem without links. */
  link?: (existing: string, target: string) => Promise<void>;
}

/** Errors of `link` on filesystems that have no hard links (FAT, exFAT, some network shares). */
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS']);

/** Tokens of the locks this process holds: a lock naming our own pid is ours only if listed. */
const heldHere = new Set<string>();

/**
 * Takes the lock of the output folder `dir` (which must exist) for this run, so that two trainers
 * never write into one folder at once.
 *
 * The lock file appears whole or not at all: its contents are first written to a temp file (through
 * `writeFileAtomic`), then hard-linked to `.mnist-train.lock`, which fails if the name exists; so
 * two trainers starting together cannot both win, and a reader never sees a half-written lock.
 * (Where the filesystem has no hard links, an exclusive create is used instead.) A lock whose
 * process is gone (`process.kill(pid, 0)` fails with ESRCH: it crashed or was killed) is taken
 * over, and `replaced` says whose it was: it is first renamed aside under a name of this process,
 * and only removed if what was moved is still that dead process's lock.
 *
 * The lock is removed by `release()`, and at process exit if the run did not get to it (a second
 * Ctrl-C exits at once); a SIGKILL leaves it behind, and the next run takes it over.
 *
 * @throws RunLockedError when a live process holds the lock, or the lock cannot be read; the
 *   message names that process (pid, start time, command) and the lock file.
 * @throws OutputDirError when the lock file cannot be written (a full disk, say).
 */
export async function acquireRunLock(
  dir: string,
  run: { argv: readonly string[]; cwd: string; startedAt: Date },
  options: AcquireRunLockOptions = {},
): Promise<RunLock> {
  const isAlive = options.isAlive ?? isProcessAlive;
  const link = options.link ?? hardLink;
  const file = path.join(dir, RUN_LOCK_FILE);
  const owner: RunLockOwner = {
    pid: process.pid,
    hostname: hostname(),
    startedAt: run.startedAt.toISOString(),
    argv: [...run.argv],
    cwd: run.cwd,
    token: randomBytes(8).toString('hex'),
  };
  const text = `${JSON.stringify(owner, null, 2)}\n`;
  const alive = (holder: RunLockOwner) =>
    holder.pid === process.pid ? heldHere.has(holder.token) : isAlive(holder.pid);
  // Named as the atomic writer's temp files are, with this pid: if this process dies before
  // removing it, the next run's removeStaleTempFiles does.
  const staged = tempName(dir);
  let replaced: RunLockOwner | null = null;
  // Counted as held from before its file can exist: another acquisition in this process that reads
  // it before this one returns must see a live lock, not a reused pid's leftover to take over.
  heldHere.add(owner.token);
  try {
    await writeFileAtomic(staged, text);
    for (let attempt = 0; ; attempt++) {
      if (await create(staged, file, text, link)) break;
      const holder = await readOwner(file);
      if (holder === 'gone') continue;
      if (holder === 'unreadable') {
        throw new RunLockedError(
          `the output folder ${dir} is locked by ${file}, which is not a lock this trainer can read; ` +
            'if no mnist-train run uses the folder, delete the file',
        );
      }
      if (alive(holder) || attempt >= 4) throw lockedError(dir, file, holder);
      const aside = tempName(dir);
      try {
        await rename(file, aside);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw error;
      }
      const moved = await readOwner(aside);
      if (typeof moved === 'object' && moved.token !== holder.token) {
        // Another trainer replaced the dead lock between our read and our rename, and we moved
        // its live lock: put it back and leave the folder to it.
        await link(aside, file).catch(() => {});
        await rm(aside, { force: true });
        throw lockedError(dir, file, moved);
      }
      await rm(aside, { force: true });
      replaced = holder;
    }
  } catch (error) {
    heldHere.delete(owner.token);
    if (RunLockedError.isInstance(error)) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new OutputDirError(`${dir}: cannot create the lock file ${RUN_LOCK_FILE} (${code}).`, {
      cause: error,
    });
  } finally {
    await rm(staged, { force: true }).catch(() => {});
  }

  const ours = (contents: string) => {
    try {
      return (JSON.parse(contents) as Partial<RunLockOwner>).token === owner.token;
    } catch {
      return false;
    }
  };
  // Synchronous: 'exit' listeners cannot wait. A file that is no longer ours is left alone.
  const releaseAtExit = () => {
    try {
      if (ours(readFileSync(file, 'utf8'))) unlinkSync(file);
    } catch {}
  };
  process.on('exit', releaseAtExit);
  return {
    file,
    owner,
    replaced,
    release: async () => {
      process.off('exit', releaseAtExit);
      heldHere.delete(owner.token);
      try {
        if (ours(await readFile(file, 'utf8'))) await rm(file, { force: true });
      } catch {
        // Already gone, or unreadable now: a lock left behind names a dead pid and is taken over.
      }
    },
  };
}

/**
 * One line about a lock's owner for messages: `pid 4242, started 2026-12-01T10:00:00.000Z
 * (3 min ago), running "mnist-train --epochs 3 --out run" in /home/me`.
 */
export function describeLockOwner(owner: RunLockOwner, now: Date = new Date()): string {
  const host = owner.hostname === hostname() ? '' : ` on ${owner.hostname}`;
  const started = Date.parse(owner.startedAt);
  const ago = Number.isFinite(started) ? ` (${formatAge((now.getTime() - started) / 1000)} ago)` : '';
  return (
    `pid ${owner.pid}${host}, started ${owner.startedAt}${ago}, ` +
    `running "${['mnist-train', ...owner.argv].join(' ')}" in ${owner.cwd}`
  );
}

function lockedError(dir: string, file: string, holder: RunLockOwner): RunLockedError {
  return new RunLockedError(
    `the output folder ${dir} is in use by another mnist-train run: ${describeLockOwner(holder)}. ` +
      `Wait for it to end, stop it (kill -INT ${holder.pid} saves a checkpoint), or use another --out. ` +
      `If that process is not a trainer, delete the lock file ${file}.`,
  );
}

/** Creates the lock file with `text`; false if it exists already. */
async function create(
  staged: string,
  file: string,
  text: string,
  link: (existing: string, target: string) => Promise<void>,
): Promise<boolean> {
  try {
    await link(staged, file);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (code === 'EEXIST') return false;
    if (!NO_HARD_LINKS.has(code)) throw error;
  }
  // No hard links here: an exclusive create is just as exclusive, but for a moment the file is
  // empty, which another trainer reading it then reports as a lock it cannot read.
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(file, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    await handle.writeFile(text);
    await handle.sync();
    await handle.close();
  } catch (error) {
    await handle.close().catch(() => {});
    await rm(file, { force: true });
    throw error;
  }
  return true;
}

/** The lock file's owner; 'gone' if there is no file, 'unreadable' if it is not a lock of ours. */
async function readOwner(file: string): Promise<RunLockOwner | 'gone' | 'unreadable'> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    throw error;
  }
  try {
    const value = JSON.parse(text) as Partial<RunLockOwner>;
    const wellFormed =
      Number.isInteger(value.pid) &&
      (value.pid as number) > 0 &&
      typeof value.hostname === 'string' &&
      typeof value.startedAt === 'string' &&
      Array.isArray(value.argv) &&
      value.argv.every((arg) => typeof arg === 'string') &&
      typeof value.cwd === 'string' &&
      typeof value.token === 'string';
    return wellFormed ? (value as RunLockOwner) : 'unreadable';
  } catch {
    return 'unreadable';
  }
}

function tempName(dir: string): string {
  return path.join(dir, `.${RUN_LOCK_FILE}.${process.pid}.${randomBytes(8).toString('hex')}.tmp`);
}

function formatAge(seconds: number): string {
  if (seconds < 90) return `${Math.max(0, Math.round(seconds))} s`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}
