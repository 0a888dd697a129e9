import { type ChildProcess, spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import path from 'node:path';

/** A Verdaccio registry running on 127.0.0.1, with a user that may publish `@mnist/*`. */
export interface LocalRegistry {
  url: string;
  /** `_authToken` of the publishing user. */
  token: string;
  /** Stops the registry process and waits for it to exit. */
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitForPing(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`Verdaccio exited with ${child.exitCode} before answering:\n${log()}`);
    }
    try {
      const response = await fetch(`${url}-/ping`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`Verdaccio did not answer on ${url} within 60 s:\n${log()}`);
}

/**
 * Starts Verdaccio with its storage and config in `folder`. `@mnist/*` lives only here (no uplink),
 * so a test can never publish to or install our packages from the public registry by mistake.
 */
export async function startLocalRegistry(folder: string): Promise<LocalRegistry> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  const configPath = path.join(folder, 'config.yaml');
  await writeFile(
    configPath,
    [
      `storage: ${path.join(folder, 'storage')}`,
      'auth:',
      `  htpasswd: { file: ${path.join(folder, 'htpasswd')}, max_users: 10 }`,
      'uplinks: {}',
      'packages:',
      "  '@mnist/*': { access: $all, publish: $authenticated }",
      "  '**': { access: $all, publish: $authenticated }",
      'log: { type: stdout, format: pretty, level: warn }',
      '',
    ].join('\n'),
  );
  const require = createRequire(import.meta.url);
  const bin = path.join(path.dirname(require.resolve('verdaccio/package.json')), 'bin', 'verdaccio');
  const child = spawn(process.execPath, [bin, '--config', configPath, '--listen', `127.0.0.1:${port}`], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
    });
  try {
    await waitForPing(url, child, () => output);
    const response = await fetch(`${url}-/user/org.couchdb.user:release-test`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'release-test', password: 'release-test-password' }),
    });
    const body = (await response.json()) as { token?: string };
    if (!response.ok || !body.token) {
      throw new Error(`Verdaccio refused to create the publishing user: ${JSON.stringify(body)}`);
    }
    return { url, token: body.token, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
