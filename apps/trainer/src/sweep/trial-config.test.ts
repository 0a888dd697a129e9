import { resolveModelConfig } from '@mnist/model';
import { describe, expect, it } from 'vitest';
import { bestConfig } from './best-config.js';
import { checkTrialConfigs } from './check-trial-configs.js';
import { SearchSpaceError } from './search-space-error.js';
import { trialConfig } from './trial-config.js';

describe('trialConfig', () => {
  it('puts model and training parameters in their halves of a --config file', () => {
    expect(trialConfig({ kernelSize: 5, dropout: 0.5, learningRate: 3e-4, batchSize: 32 })).toEqual({
      model: { kernelSize: 5, dropout: 0.5 },
      training: { learningRate: 3e-4, batchSize: 32 },
    });
  });

  it('fits the default per-layer filters and pools to the searched layer count', () => {
    expect(trialConfig({ convLayers: 3 })).toEqual({ model: { convLayers: 3 }, training: {} });
    expect(trialConfig({ convLayers: 2 }).model).toEqual({
      convLayers: 2,
      filters: [16, 32],
      poolAfter: [0, 1],
    });
    expect(trialConfig({ convLayers: 4 }).model).toEqual({
      convLayers: 4,
      filters: [16, 32, 64, 64],
      poolAfter: [0, 1],
    });
    expect(trialConfig({ convLayers: 1 }).model).toEqual({ convLayers: 1, filters: [16], poolAfter: [0] });
    expect(trialConfig({ convLayers: 4, filters: 16 }).model).toEqual({
      convLayers: 4,
      filters: 16,
      poolAfter: [0, 1],
    });
    for (const convLayers of [1, 2, 3, 4, 5]) {
      for (const kernelSize of [3, 5]) {
        expect(() => resolveModelConfig(trialConfig({ convLayers, kernelSize }).model)).not.toThrow();
      }
    }
  });
});

describe('checkTrialConfigs', () => {
  it('passes trainable trials and names the trial that cannot be built', () => {
    expect(() => checkTrialConfigs([{ convLayers: 2, kernelSize: 5 }], { epochs: 1, seed: 1 })).not.toThrow();
    const bad = () =>
      checkTrialConfigs([{ convLayers: 3 }, { convLayers: 3, kernelSize: 9 }], { epochs: 1, seed: 1 });
    expect(bad).toThrow(SearchSpaceError);
    expect(bad).toThrow(/^the trial convLayers=3 kernelSize=9 cannot be trained: .*"kernelSize" is 9/);
    expect(() => checkTrialConfigs([{ convLayers: 2, filters: [8, 8, 8] }], { epochs: 1, seed: 1 })).toThrow(
      /convLayers=2 filters=8,8,8 cannot be trained: .*"filters" has 3 entries/,
    );
  });
});

describe('bestConfig', () => {
  it('holds the full resolved model and the searched training values, but not the trial budget', () => {
    const config = bestConfig(
      { convLayers: 2, dropout: 0.5, learningRate: 0.002 },
      { epochs: 2, seed: 7, trainLimit: 600, validationSplit: 0.2 },
    );
    expect(config.model).toEqual(
      resolveModelConfig({ convLayers: 2, filters: [16, 32], poolAfter: [0, 1], dropout: 0.5 }),
    );
    expect(config.training).toEqual({ learningRate: 0.002, seed: 7, validationSplit: 0.2 });
  });
});
