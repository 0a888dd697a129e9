import { readFile, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { CROSS_ORIGIN_ISOLATION_HEADERS } from '../scripts/lib/cross-origin-isolation.js';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.bin': 'application/octet-stream',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

/** A running static server: its base URL and a way to stop it. */
export interface StaticServer {
  url: string;
  close: () => Promise<void>;
}

/** How `serveStatic` serves. */
export interface StaticServerOptions {
  /**
   * Send the COOP/COEP headers with every response, as `vite dev`, `vite preview` and a host
   * reading `public/_headers` do: the page is then cross-origin isolated. Off by default, as a
   * plain static host serves.
   */
  crossOriginIsolated?: boolean;
}

/**
 * Serves the folder `root` on 127.0.0.1 at a free port, as any static host would: files only,
 * `index.html` for a folder, the right Content-Type (`application/wasm` matters: browsers refuse to
 * stream-compile WASM served as anything else), 404 for everything else. Nothing outside `root`.
 */
export async function serveStatic(root: string, options: StaticServerOptions = {}): Promise<StaticServer> {
  const isolation = options.crossOriginIsolated ? CROSS_ORIGIN_ISOLATION_HEADERS : {};
  const server: Server = createServer(async (request, response) => {
    try {
      const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
      let file = normalize(join(root, path));
      if (file !== root && !file.startsWith(root + sep)) throw new Error('outside root');
      if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
      const body = await readFile(file);
      response.writeHead(200, {
        'Content-Type': MIME[extname(file)] ?? 'application/octet-stream',
        'Content-Length': body.length,
        'Cache-Control': 'no-store',
        ...isolation,
      });
      response.end(body);
    } catch {
      response.writeHead(404, { 'Content-Type': 'text/plain', ...isolation });
      response.end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
