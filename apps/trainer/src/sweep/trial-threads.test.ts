import { describe, expect, it } from 'vitest';
import { trialThreads } from './trial-threads.js';

describe('trialThreads', () => {
  it('gives trials one thread each when several run at once, auto when one does', () => {
    expect(trialThreads(2)).toBe(1);
    expect(trialThreads(8)).toBe(1);
    expect(trialThreads(1)).toBe('auto');
  });

  it('keeps what the user asked for', () => {
    expect(trialThreads(4, 2)).toBe(2);
    expect(trialThreads(1, 3)).toBe(3);
    expect(trialThreads(2, 'auto')).toBe('auto');
  });
});
