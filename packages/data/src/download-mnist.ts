import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { gunzipSync } from 'node:zlib';
import { writeFileAtomic } from '@mnist/core/node';
import { ChecksumMismatchError } from './checksum-mismatch-error.js';
import { DataSourceError } from './data-source-error.js';
import { DownloadError } from './download-error.js';
import { isGzip } from './gunzip.js';
import { MNIST_FILE_NAMES, MNIST_IDX_SHA256, type MnistFileName } from './mnist-files.js';

/** Options of `downloadMnist`. */
export interface DownloadMnistOptions {
  /** Folder URL serving `<name>.gz` for each standard file name, e.g. `https://host/mnist/`. */
  baseUrl: string;
  /** Where the files are kept; default `$XDG_CACHE_HOME/mnist-ts/mnist` or `~/.cache/mnist-ts/mnist`. */
  cacheDir?: string;
  /**
   * SHA-256 (hex) of each file exactly as served. A file without one is checked instead against
   * `MNIST_IDX_SHA256`, the hash of its decompressed content, so every file is always verified.
   */
  sha256?: Partial<Record<MnistFileName, string>>;
  /** Retries after a failed attempt (network error, dropped connection, HTTP 408/429/5xx); default 3. */
  retries?: number;
  /** Wait before the first retry, doubled before each next one; default 500 ms. */
  retryDelayMs?: number;
  /** Time limit of one attempt at one file; default 120 s. */
  timeoutMs?: number;
  /** Which files to fetch; default all four. */
  files?: readonly MnistFileName[];
}

/** What `downloadMnist` did. */
export interface DownloadMnistResult {
  /** The cache folder, in the standard layout: pass it to `loadMnistFromDir`. */
  dir: string;
  /** Files fetched from the network in this call. */
  downloaded: MnistFileName[];
  /** Files already in the cache with the right checksum, not fetched again. */
  cached: MnistFileName[];
}

const OFFLINE_HINT = "or use the copy that ships offline: loadMnist({ source: 'package' })";

/** Default cache folder of downloads. */
export function defaultCacheDir(): string {
  return join(process.env['XDG_CACHE_HOME'] || join(homedir(), '.cache'), 'mnist-ts', 'mnist');
}

/**
 * Downloads `<baseUrl>/<name>.gz` for the MNIST files into a cache folder, verifying each file's
 * SHA-256 (see `DownloadMnistOptions.sha256`). A file is written into the cache folder only once
 * complete and verified, and atomically (`writeFileAtomic` of `@mnist/core/node`), so the cache
 * never holds a partial or unverified file. Files already cached and valid are not fetched again.
 * Failed attempts are retried with exponential backoff; a checksum mismatch is not retried (the
 * server would send the same bytes): the download is discarded and `ChecksumMismatchError`
 * thrown. A file that cannot be written into the cache throws `DataSourceError` naming it; other
 * failures throw `DownloadError` naming the URL.
 */
export async function downloadMnist(options: DownloadMnistOptions): Promise<DownloadMnistResult> {
  const {
    baseUrl,
    sha256 = {},
    retries = 3,
    retryDelayMs = 500,
    timeoutMs = 120_000,
    files = MNIST_FILE_NAMES,
  } = options;
  if (!(Number.isInteger(retries) && retries >= 0)) {
    throw new DataSourceError(`retries must be a non-negative integer, got ${retries}`);
  }
  let base: URL;
  try {
    base = new URL(baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  } catch (cause) {
    throw new DataSourceError(`baseUrl ${JSON.stringify(baseUrl)} is not a valid URL`, { cause });
  }
  const unknown = files.filter((name) => !MNIST_FILE_NAMES.includes(name));
  if (unknown.length > 0) {
    throw new DataSourceError(
      `files must be standard MNIST names (${MNIST_FILE_NAMES.join(', ')}), got ${unknown.join(', ')}`,
    );
  }
  const dir = resolve(options.cacheDir ?? defaultCacheDir());
  try {
    await mkdir(dir, { recursive: true });
  } catch (cause) {
    throw new DataSourceError(`cannot create the cache folder ${dir}: ${(cause as Error).message}`, {
      cause,
    });
  }
  const result: DownloadMnistResult = { dir, downloaded: [], cached: [] };
  // One file after the other: a failure then leaves no other download running in the background.
  for (const name of files) {
    const target = join(dir, `${name}.gz`);
    const url = new URL(`${name}.gz`, base).href;
    const expected = expectedHash(name, sha256);
    if (await isFile(target)) {
      if ((await checkFile(target, expected)).ok) {
        result.cached.push(name);
        continue;
      }
      // A stale or corrupted cache entry: drop it and fetch afresh.
      await rm(target, { force: true });
    }
    await fetchVerified(url, target, name, expected, { retries, retryDelayMs, timeoutMs, dir });
    result.downloaded.push(name);
  }
  return result;
}

interface Expected {
  hash: string;
  /** Whether `hash` is of the file as served, or of its decompressed IDX content. */
  of: 'file' | 'content';
}

function expectedHash(name: MnistFileName, sha256: Partial<Record<MnistFileName, string>>): Expected {
  const given = sha256[name];
  if (given !== undefined) {
    if (!/^[0-9a-f]{64}$/i.test(given)) {
      throw new DataSourceError(`sha256['${name}'] must be 64 hex digits, got ${JSON.stringify(given)}`);
    }
    return { hash: given.toLowerCase(), of: 'file' };
  }
  return { hash: MNIST_IDX_SHA256[name], of: 'content' };
}

async function checkFile(path: string, expected: Expected): Promise<{ ok: boolean }> {
  return checkBytes(await readFile(path), expected);
}

function checkBytes(bytes: Uint8Array, expected: Expected): { ok: boolean; actual: string; note?: string } {
  let subject: Uint8Array = bytes;
  if (expected.of === 'content' && isGzip(bytes)) {
    try {
      // Bounded so a gzip bomb cannot exhaust memory: no MNIST file decompresses to more than this.
      subject = gunzipSync(bytes, { maxOutputLength: 16 + 60_000 * 28 * 28 });
    } catch (cause) {
      return { ok: false, actual: sha256Hex(bytes), note: `not valid gzip (${(cause as Error).message})` };
    }
  }
  const actual = sha256Hex(subject);
  return { ok: actual === expected.hash, actual };
}

function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null))?.isFile() ?? false;
}

/** An attempt that failed in a way another attempt may fix. */
class RetryableError extends Error {}

async function fetchVerified(
  url: string,
  target: string,
  name: MnistFileName,
  expected: Expected,
  options: { retries: number; retryDelayMs: number; timeoutMs: number; dir: string },
): Promise<void> {
  // Hand-written rather than p-retry: one call site, a few lines, no new dependency.
  for (let attempt = 1; ; attempt++) {
    let bytes: Uint8Array;
    try {
      bytes = await fetchBytes(url, options.timeoutMs);
    } catch (error) {
      const retryable = !(error instanceof DownloadError);
      if (retryable && attempt <= options.retries) {
        await sleep(options.retryDelayMs * 2 ** (attempt - 1));
        continue;
      }
      if (error instanceof DownloadError) throw error;
      throw new DownloadError(
        url,
        `Could not download ${url} after ${attempt} attempt${attempt === 1 ? '' : 's'}: ${describe(error)}. Check the URL and the network, ${OFFLINE_HINT}.`,
        { cause: error },
      );
    }
    const check = checkBytes(bytes, expected);
    if (!check.ok) {
      throw new ChecksumMismatchError(
        url,
        expected.hash,
        check.actual,
        `SHA-256 mismatch for ${url}: expected ${expected.hash} (of the ${
          expected.of === 'file' ? 'file as served' : 'decompressed IDX content'
        }), got ${check.actual}${check.note ? `; the file is ${check.note}` : ''}. The download was discarded; nothing was written to ${options.dir}. If the server holds different files on purpose, pass their checksums in sha256['${name}'], ${OFFLINE_HINT}.`,
      );
    }
    // Only a complete, verified file reaches the cache, and atomically: a reader or a killed
    // process never sees part of one.
    try {
      await writeFileAtomic(target, bytes);
    } catch (cause) {
      throw new DataSourceError(`cannot write ${target} into the cache: ${(cause as Error).message}`, {
        cause,
      });
    }
    return;
  }
}

/**
 * One attempt: the whole body in memory (an MNIST file is at most 10 MB gzipped, and verifying it
 * needs it whole anyway).
 */
async function fetchBytes(url: string, timeoutMs: number): Promise<Uint8Array> {
  const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  if (!response.ok) {
    const message = `HTTP ${response.status} ${response.statusText}`.trim();
    await response.body?.cancel().catch(() => {});
    if (response.status === 408 || response.status === 429 || response.status >= 500) {
      throw new RetryableError(message);
    }
    throw new DownloadError(url, `Could not download ${url}: ${message}. Check the URL, ${OFFLINE_HINT}.`);
  }
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  const chunks: Uint8Array[] = [];
  let received = 0;
  const reader = response.body?.getReader();
  for (;;) {
    const chunk = await reader?.read();
    if (!chunk || chunk.done) break;
    received += chunk.value.length;
    chunks.push(chunk.value);
  }
  if (Number.isFinite(declared) && received !== declared) {
    throw new RetryableError(`connection ended after ${received} of ${declared} bytes`);
  }
  return Buffer.concat(chunks, received);
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause as { code?: string; message?: string } | undefined;
  const detail = cause?.code ?? cause?.message;
  return detail && !error.message.includes(detail) ? `${error.message} (${detail})` : error.message;
}
