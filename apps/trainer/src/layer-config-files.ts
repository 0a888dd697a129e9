import type { ConfigFile } from './load-config-file.js';

/**
 * `upper` over `lower`, field by field within `model` and `training` (an object field such as
 * `earlyStopping` is replaced whole): how a `--config` file overrides a `--recipe`.
 */
export function layerConfigFiles(lower: ConfigFile, upper: ConfigFile): ConfigFile {
  return {
    model: { ...lower.model, ...upper.model },
    training: { ...lower.training, ...upper.training },
  };
}
