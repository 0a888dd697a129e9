import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CROSS_ORIGIN_ISOLATION_HEADERS } from './cross-origin-isolation.js';

describe('public/_headers', () => {
  it('sends the cross-origin isolation headers for every path, as vite dev and preview do', () => {
    const file = readFileSync(new URL('../../public/_headers', import.meta.url), 'utf8');
    const lines = file.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('#'));
    // Netlify / Cloudflare Pages format: a path pattern, then its headers indented below it.
    expect(lines[0]).toBe('/*');
    const headers = Object.fromEntries(
      lines.slice(1).map((line) => {
        expect(line).toMatch(/^ {2}\S/);
        const [name, ...value] = line.trim().split(':');
        return [name!, value.join(':').trim()];
      }),
    );
    expect(headers).toEqual(CROSS_ORIGIN_ISOLATION_HEADERS);
  });
});
