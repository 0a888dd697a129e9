import { describe, expect, it } from 'vitest';
import { AUTO_MIN_TRAINING_IMAGES, askedThreadCount, resolveThreadCount } from './resolve-thread-count.js';

const long = { backend: 'wasm', batchSize: 64, plannedImages: 6 * 54_000, cores: 2 } as const;

describe('resolveThreadCount', () => {
  it('takes one thread per core for auto on wasm and cpu', () => {
    expect(resolveThreadCount({ ...long, threads: 'auto' })).toBe(2);
    expect(resolveThreadCount({ ...long, backend: 'cpu', threads: 'auto', cores: 3 })).toBe(3);
  });

  it('keeps at least 16 images per thread and batch for auto', () => {
    expect(resolveThreadCount({ ...long, threads: 'auto', cores: 16 })).toBe(4);
    expect(resolveThreadCount({ ...long, threads: 'auto', batchSize: 20 })).toBe(1);
  });

  it('stays on one thread for auto when the run is too short to pay for starting threads', () => {
    expect(
      resolveThreadCount({ ...long, threads: 'auto', plannedImages: AUTO_MIN_TRAINING_IMAGES - 1 }),
    ).toBe(1);
    expect(resolveThreadCount({ ...long, threads: 'auto', plannedImages: AUTO_MIN_TRAINING_IMAGES })).toBe(2);
  });

  it('honours an explicit count on wasm and cpu, even above the cores', () => {
    expect(resolveThreadCount({ ...long, threads: 3, plannedImages: 10 })).toBe(3);
    expect(resolveThreadCount({ ...long, threads: 1 })).toBe(1);
  });

  it('uses one thread on tensorflow (tfjs-node), which is multi-threaded already', () => {
    expect(resolveThreadCount({ ...long, backend: 'tensorflow', threads: 4 })).toBe(1);
    expect(resolveThreadCount({ ...long, backend: 'tensorflow', threads: 'auto' })).toBe(1);
  });
});

describe('askedThreadCount', () => {
  it("is 'auto' for auto and the count itself for an explicit one, 1 on tensorflow either way", () => {
    expect(askedThreadCount('auto', 'wasm')).toBe('auto');
    expect(askedThreadCount(3, 'cpu')).toBe(3);
    expect(askedThreadCount(3, 'tensorflow')).toBe(1);
    expect(askedThreadCount('auto', 'tensorflow')).toBe(1);
  });
});
