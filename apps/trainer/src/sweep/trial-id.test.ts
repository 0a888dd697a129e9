import { describe, expect, it } from 'vitest';
import { trialId } from './trial-id.js';

describe('trialId', () => {
  it('is a stable 12-hex-digit hash that ignores key order but not values', () => {
    const id = trialId({ convLayers: 3, kernelSize: 3, dropout: 0.25 });
    expect(id).toMatch(/^[0-9a-f]{12}$/);
    expect(trialId({ dropout: 0.25, kernelSize: 3, convLayers: 3 })).toBe(id);
    expect(trialId({ convLayers: 3, kernelSize: 3, dropout: 0.5 })).not.toBe(id);
    expect(trialId({ convLayers: 3, kernelSize: 3 })).not.toBe(id);
    expect(trialId({ filters: [32, 64] })).not.toBe(trialId({ filters: [64, 32] }));
  });
});
