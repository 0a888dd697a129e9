import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI_PACKAGE_NAME, resolveUserPath } from './resolve-user-path.js';

const own = { npm_package_name: CLI_PACKAGE_NAME };

describe('resolveUserPath', () => {
  it('names the package as its package.json does', () => {
    const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      name: string;
    };
    expect(CLI_PACKAGE_NAME).toBe(manifest.name);
  });

  it('resolves against INIT_CWD under a script of @mnist/cli (pnpm train runs it in apps/trainer)', () => {
    expect(resolveUserPath('./run1', { ...own, INIT_CWD: '/home/me/project' }, '/repo/apps/trainer')).toBe(
      path.resolve('/home/me/project/run1'),
    );
  });

  it('ignores an INIT_CWD inherited from another package’s npm or pnpm script', () => {
    // `"scripts": { "train": "cd sub && mnist-train --out out" }` in a project named "consumer".
    const env = { INIT_CWD: '/home/me/consumer', npm_package_name: 'consumer' };
    expect(resolveUserPath('out', env, '/home/me/consumer/sub')).toBe(
      path.resolve('/home/me/consumer/sub/out'),
    );
    // A shell that kept INIT_CWD from some earlier npm context, with no script running now.
    expect(resolveUserPath('out', { INIT_CWD: '/elsewhere' }, '/somewhere')).toBe(
      path.resolve('/somewhere/out'),
    );
  });

  it('falls back to the working folder without INIT_CWD or with an empty one', () => {
    expect(resolveUserPath('out', {}, '/somewhere')).toBe(path.resolve('/somewhere/out'));
    expect(resolveUserPath('out', own, '/somewhere')).toBe(path.resolve('/somewhere/out'));
    expect(resolveUserPath('out', { ...own, INIT_CWD: '' }, '/somewhere')).toBe(
      path.resolve('/somewhere/out'),
    );
  });

  it('keeps absolute paths as they are', () => {
    expect(resolveUserPath('/abs/dir', { ...own, INIT_CWD: '/home/me' }, '/x')).toBe(
      path.resolve('/abs/dir'),
    );
  });
});
