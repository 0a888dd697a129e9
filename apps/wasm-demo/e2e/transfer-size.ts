import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** One file the page fetched, with its size as stored and as a gzip-serving host would send it. */
export interface TransferredFile {
  path: string;
  bytes: number;
  gzipBytes: number;
}

/**
 * Sizes of the files behind `urls` (requests the page made to the static server at `base`), read
 * from `root` and gzipped at level 9, the way a host with compression serves them. Data and blob
 * URLs and other origins are left out: they cost no transfer from the host.
 */
export function transferSizes(urls: readonly string[], base: string, root: string): TransferredFile[] {
  const files: TransferredFile[] = [];
  for (const url of new Set(urls)) {
    if (!url.startsWith(base)) continue;
    let path = decodeURIComponent(new URL(url).pathname);
    if (path.endsWith('/')) path += 'index.html';
    const body = readFileSync(join(root, path));
    files.push({ path, bytes: body.length, gzipBytes: gzipSync(body, { level: 9 }).length });
  }
  return files.sort((a, b) => b.gzipBytes - a.gzipBytes);
}
