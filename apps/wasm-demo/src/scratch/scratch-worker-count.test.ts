import { describe, expect, it } from 'vitest';
import { MAX_SCRATCH_WORKERS, scratchWorkerCount } from './scratch-worker-count.js';

describe('scratchWorkerCount', () => {
  it('trains on one worker when the page is not cross-origin isolated, whatever the cores', () => {
    expect(scratchWorkerCount(false, 1)).toBe(1);
    expect(scratchWorkerCount(false, 8)).toBe(1);
  });

  it('takes one worker per core on an isolated page, up to the cap', () => {
    expect(scratchWorkerCount(true, 1)).toBe(1);
    expect(scratchWorkerCount(true, 2)).toBe(2);
    expect(scratchWorkerCount(true, 3)).toBe(3);
    expect(MAX_SCRATCH_WORKERS).toBe(4);
    expect(scratchWorkerCount(true, 16)).toBe(4);
  });

  it('takes one worker when the browser reports no core count', () => {
    // navigator.hardwareConcurrency may be 0 or missing (privacy settings, old browsers).
    expect(scratchWorkerCount(true, 0)).toBe(1);
    expect(scratchWorkerCount(true, Number.NaN)).toBe(1);
  });
});
