import '@tensorflow/tfjs-backend-cpu';
import { ready, setBackend, tensor1d } from '@tensorflow/tfjs-core';
import { describe, expect, it, vi } from 'vitest';
import { silenceCpuBanner } from './silence-cpu-banner.js';

describe('silenceCpuBanner', () => {
  it('keeps the cpu backend from printing its tfjs-node banner', async () => {
    await setBackend('cpu');
    await ready();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      silenceCpuBanner();
      tensor1d([1, 2, 3]).dispose();
      expect(warn.mock.calls.flat().join(' ')).not.toContain('tfjs-node');
    } finally {
      warn.mockRestore();
    }
  });
});
