import { afterEach, describe, expect, it, vi } from 'vitest';
import { routeConsoleToStderr } from './route-console-to-stderr.js';

const saved = { log: console.log, info: console.info, debug: console.debug };
afterEach(() => {
  Object.assign(console, saved);
  vi.restoreAllMocks();
});

describe('routeConsoleToStderr', () => {
  it('sends console.log, info and debug to stderr, formatted as console does, and nothing to stdout', () => {
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    routeConsoleToStderr();
    console.log('backend %s', 'wasm', { threads: 2 });
    console.info('info');
    console.debug('debug');
    const written = stderr.mock.calls.map(([text]) => text);
    stdout.mockRestore();
    stderr.mockRestore();
    expect(written).toEqual(['backend wasm { threads: 2 }\n', 'info\n', 'debug\n']);
    expect(stdout).not.toHaveBeenCalled();
  });
});
