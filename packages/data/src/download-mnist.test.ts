import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ChecksumMismatchError } from './checksum-mismatch-error.js';
import { countLabels } from './count-labels.js';
import { DataSourceError } from './data-source-error.js';
import { DownloadError } from './download-error.js';
import { downloadMnist } from './download-mnist.js';
import { loadMnist } from './load-mnist.js';
import { mnistDataPackageDir } from './load-mnist-from-package.js';
import { MNIST_CLASS_COUNTS } from './mnist-class-counts.js';
import { MNIST_FILE_NAMES, type MnistFileName } from './mnist-files.js';
import { gzip } from './testing/make-idx.js';
import { sameBytes } from './testing/same-bytes.js';

type Handler = (req: IncomingMessage, res: ServerResponse, attempt: number) => void;

// The real files, gzipped here (level 1: fast, and the content checksum does not care).
const served = new Map<string, Uint8Array>();
const handlers = new Map<string, Handler>();
const requests = new Map<string, number>();
let server: Server;
let baseUrl: string;
let cacheDir: string;

const serve: Handler = (req, res) => {
  const body = served.get(req.url ?? '');
  if (!body) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { 'content-type': 'application/gzip', 'content-length': body.length }).end(body);
};

/** Sends the headers and half the body, then cuts the connection. */
const dropMidFile: Handler = (req, res) => {
  const body = served.get(req.url ?? '')!;
  res.writeHead(200, { 'content-type': 'application/gzip', 'content-length': body.length });
  res.write(body.subarray(0, body.length >> 1), () => res.socket?.destroy());
};

const cached = (name: MnistFileName) => readFile(join(cacheDir, `${name}.gz`));

const cacheFiles = async () => (await readdir(cacheDir)).sort();

beforeAll(async () => {
  const dir = mnistDataPackageDir();
  for (const name of MNIST_FILE_NAMES)
    served.set(`/mnist/${name}.gz`, gzip(readFileSync(join(dir, name)), 1));
  server = createServer((req, res) => {
    const path = req.url ?? '';
    const attempt = (requests.get(path) ?? 0) + 1;
    requests.set(path, attempt);
    (handlers.get(path) ?? serve)(req, res, attempt);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/mnist/`;
});

afterAll(async () => {
  await new Promise((done) => server.close(done));
});

beforeEach(async () => {
  handlers.clear();
  requests.clear();
  cacheDir = await mkdtemp(join(tmpdir(), 'mnist-cache-'));
});

afterEach(async () => {
  await rm(cacheDir, { recursive: true, force: true });
});

const only = (name: MnistFileName) => ({ baseUrl, cacheDir, retryDelayMs: 5, files: [name] as const });

// Generous limits: the full-set test moves 55 MB through HTTP, gunzip and SHA-256 on a shared machine.
describe('downloadMnist', { timeout: 60_000 }, () => {
  it('downloads, verifies and caches the real files, then serves them from the cache', async () => {
    const { train, test } = await loadMnist({ source: { baseUrl, cacheDir } });
    expect(train.count).toBe(60_000);
    expect(test.count).toBe(10_000);
    expect(countLabels(train.labels)).toEqual(MNIST_CLASS_COUNTS.train);
    expect(countLabels(test.labels)).toEqual(MNIST_CLASS_COUNTS.test);
    expect(await cacheFiles()).toEqual(MNIST_FILE_NAMES.map((n) => `${n}.gz`).sort());
    const again = await downloadMnist({ baseUrl, cacheDir });
    expect(again).toEqual({ dir: cacheDir, downloaded: [], cached: [...MNIST_FILE_NAMES] });
    expect([...requests.values()]).toEqual([1, 1, 1, 1]);
  });

  it('checks a caller-given SHA-256 of the file as served', async () => {
    const body = served.get('/mnist/t10k-labels-idx1-ubyte.gz')!;
    const right = createHash('sha256').update(body).digest('hex');
    const result = await downloadMnist({
      ...only('t10k-labels-idx1-ubyte'),
      sha256: { 't10k-labels-idx1-ubyte': right },
    });
    expect(result.downloaded).toEqual(['t10k-labels-idx1-ubyte']);
    expect(sameBytes(await cached('t10k-labels-idx1-ubyte'), body)).toBe(true);

    await rm(join(cacheDir, 't10k-labels-idx1-ubyte.gz'));
    const wrong = '0'.repeat(64);
    const error = await downloadMnist({
      ...only('t10k-labels-idx1-ubyte'),
      sha256: { 't10k-labels-idx1-ubyte': wrong },
    }).catch((e) => e);
    expect(error).toBeInstanceOf(ChecksumMismatchError);
    expect(error.message).toContain(`expected ${wrong} (of the file as served), got ${right}`);
    expect(await cacheFiles()).toEqual([]);
  });

  it('rejects a corrupted file without retrying, discards it and says so', async () => {
    const url = `${baseUrl}t10k-labels-idx1-ubyte.gz`;
    const labels = readFileSync(join(mnistDataPackageDir(), 't10k-labels-idx1-ubyte'));
    const tampered = Uint8Array.from(labels);
    tampered[100] = (tampered[100]! + 1) % 10; // still a valid IDX file, but not MNIST
    handlers.set('/mnist/t10k-labels-idx1-ubyte.gz', (_req, res) => {
      const body = gzip(tampered);
      res.writeHead(200, { 'content-length': body.length }).end(body);
    });
    const error = await downloadMnist(only('t10k-labels-idx1-ubyte')).catch((e) => e);
    expect(error).toBeInstanceOf(ChecksumMismatchError);
    expect(error.url).toBe(url);
    expect(error.message).toMatch(
      new RegExp(
        `^SHA-256 mismatch for ${url}: expected ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2 \\(of the decompressed IDX content\\), got [0-9a-f]{64}\\. The download was discarded; nothing was written to `,
      ),
    );
    expect(requests.get('/mnist/t10k-labels-idx1-ubyte.gz')).toBe(1);
    expect(await cacheFiles()).toEqual([]);
  });

  it('retries a connection that drops mid-file and then succeeds', async () => {
    const path = '/mnist/t10k-images-idx3-ubyte.gz';
    handlers.set(path, (req, res, attempt) => (attempt === 1 ? dropMidFile : serve)(req, res, attempt));
    const result = await downloadMnist(only('t10k-images-idx3-ubyte'));
    expect(result.downloaded).toEqual(['t10k-images-idx3-ubyte']);
    expect(requests.get(path)).toBe(2);
    expect(sameBytes(await cached('t10k-images-idx3-ubyte'), served.get(path))).toBe(true);
    expect(await cacheFiles()).toEqual(['t10k-images-idx3-ubyte.gz']);
  });

  it('fails cleanly when the connection drops on every attempt, leaving nothing in the cache', async () => {
    const path = '/mnist/t10k-images-idx3-ubyte.gz';
    handlers.set(path, dropMidFile);
    const error = await downloadMnist({ ...only('t10k-images-idx3-ubyte'), retries: 2 }).catch((e) => e);
    expect(error).toBeInstanceOf(DownloadError);
    expect(error.message).toMatch(
      new RegExp(`^Could not download ${baseUrl}t10k-images-idx3-ubyte\\.gz after 3 attempts: `),
    );
    expect(requests.get(path)).toBe(3);
    expect(await cacheFiles()).toEqual([]);
  });

  it('names the cache file it cannot write, leaving no temp file', async () => {
    // A non-empty folder where the file goes: the atomic rename into place fails.
    const target = join(cacheDir, 't10k-labels-idx1-ubyte.gz');
    await mkdir(join(target, 'in-the-way'), { recursive: true });
    const error = await downloadMnist(only('t10k-labels-idx1-ubyte')).catch((e) => e);
    expect(error).toBeInstanceOf(DataSourceError);
    expect(error.message).toMatch(new RegExp(`^cannot write ${target} into the cache: `));
    expect(requests.get('/mnist/t10k-labels-idx1-ubyte.gz')).toBe(1);
    expect(await cacheFiles()).toEqual(['t10k-labels-idx1-ubyte.gz']);
    expect(await readdir(target)).toEqual(['in-the-way']);
  });

  it('replaces a corrupted file found in the cache', async () => {
    await writeFile(join(cacheDir, 't10k-labels-idx1-ubyte.gz'), 'not gzip at all');
    const result = await downloadMnist(only('t10k-labels-idx1-ubyte'));
    expect(result).toMatchObject({ downloaded: ['t10k-labels-idx1-ubyte'], cached: [] });
    expect(
      sameBytes(await cached('t10k-labels-idx1-ubyte'), served.get('/mnist/t10k-labels-idx1-ubyte.gz')),
    ).toBe(true);
  });

  it('does not retry a 404 and names the URL', async () => {
    const error = await downloadMnist({ baseUrl: `${baseUrl}missing/`, cacheDir, retryDelayMs: 5 }).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(DownloadError);
    expect(error.message).toBe(
      `Could not download ${baseUrl}missing/train-images-idx3-ubyte.gz: HTTP 404 Not Found. Check the URL, or use the copy that ships offline: loadMnist({ source: 'package' }).`,
    );
    expect(requests.get('/mnist/missing/train-images-idx3-ubyte.gz')).toBe(1);
  });

  it('rejects bad options before any request', async () => {
    await expect(
      downloadMnist({ baseUrl, cacheDir, files: ['train-images' as MnistFileName] }),
    ).rejects.toThrow(
      /^files must be standard MNIST names \(train-images-idx3-ubyte, .*\), got train-images$/,
    );
    await expect(
      downloadMnist({ ...only('t10k-labels-idx1-ubyte'), sha256: { 't10k-labels-idx1-ubyte': 'abc' } }),
    ).rejects.toThrow(`sha256['t10k-labels-idx1-ubyte'] must be 64 hex digits, got "abc"`);
    await expect(downloadMnist({ baseUrl: 'not a url', cacheDir })).rejects.toThrow(
      'baseUrl "not a url" is not a valid URL',
    );
    expect(requests.size).toBe(0);
  });

  it('names an unreachable host and suggests the offline default', async () => {
    // A port that was just free: nothing listens there, so the connection is refused.
    const probe = createServer();
    await new Promise<void>((done) => probe.listen(0, '127.0.0.1', done));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((done) => probe.close(done));
    const url = `http://127.0.0.1:${port}/mnist/t10k-labels-idx1-ubyte.gz`;
    const error = await downloadMnist({
      ...only('t10k-labels-idx1-ubyte'),
      baseUrl: `http://127.0.0.1:${port}/mnist`,
      retries: 1,
    }).catch((e) => e);
    expect(error).toBeInstanceOf(DownloadError);
    expect(error.url).toBe(url);
    expect(error.message).toMatch(new RegExp(`^Could not download ${url} after 2 attempts: .*ECONNREFUSED`));
    expect(error.message).toContain("or use the copy that ships offline: loadMnist({ source: 'package' })");
    expect(await cacheFiles()).toEqual([]);
  });
});
