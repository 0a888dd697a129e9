import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveUserPath } from './resolve-user-path.js';

describe('resolveUserPath', () => {
  it('resolves against INIT_CWD, the folder pnpm was invoked from', () => {
    expect(resolveUserPath('./run1', { INIT_CWD: '/home/me/project' }, '/repo/apps/trainer')).toBe(
      path.resolve('/home/me/project/run1'),
    );
  });

  it('falls back to the working folder without INIT_CWD or with an empty one', () => {
    expect(resolveUserPath('out', {}, '/somewhere')).toBe(path.resolve('/somewhere/out'));
    expect(resolveUserPath('out', { INIT_CWD: '' }, '/somewhere')).toBe(path.resolve('/somewhere/out'));
  });

  it('keeps absolute paths as they are', () => {
    expect(resolveUserPath('/abs/dir', { INIT_CWD: '/home/me' }, '/x')).toBe(path.resolve('/abs/dir'));
  });
});
