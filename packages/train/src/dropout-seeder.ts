import type { LayersModel } from '@tensorflow/tfjs-layers';
import { deriveSeed } from './derive-seed.js';

interface SeedableLayer {
  seed?: number;
}

interface LayerLike {
  getClassName(): string;
  layers?: LayerLike[];
}

/** Seeds every dropout layer of a model per training step, and puts their own seeds back. */
export interface DropoutSeeder {
  /** Number of dropout layers found. */
  readonly count: number;
  /**
   * Gives each dropout layer a seed derived from `seed`, `epoch`, `batch` and its position, and
   * from `shard` when a thread trains a slice of the batch (shard 0 draws what one thread draws).
   */
  seedStep(seed: number, epoch: number, batch: number, shard?: number): void;
  /** Puts back the seeds the layers had before (usually none). */
  restore(): void;
}

/**
 * Makes dropout reproducible without making it repetitive. A tfjs-layers `Dropout` with a fixed
 * `seed` draws the same mask at every step (it passes the seed to `tf.randomUniform` each call),
 * and one without a seed draws from `Math.random`; so before each step the loop gives every
 * dropout layer a fresh seed derived from the run's seed, the epoch, the batch and the layer's
 * position. Same run seed, same masks; different steps, different masks. Nested models are
 * searched too. Internal.
 */
export function createDropoutSeeder(model: LayersModel): DropoutSeeder {
  const found: (SeedableLayer & LayerLike)[] = [];
  const visit = (layer: LayerLike) => {
    if (layer.getClassName().includes('Dropout') && 'seed' in layer)
      found.push(layer as SeedableLayer & LayerLike);
    for (const child of layer.layers ?? []) visit(child);
  };
  for (const layer of model.layers as unknown as LayerLike[]) visit(layer);
  const originals = found.map((layer) => layer.seed);
  return {
    count: found.length,
    seedStep(seed, epoch, batch, shard = 0) {
      found.forEach((layer, index) => {
        layer.seed =
          shard === 0 ? deriveSeed(seed, epoch, batch, index) : deriveSeed(seed, epoch, batch, index, shard);
      });
    },
    restore() {
      found.forEach((layer, index) => {
        layer.seed = originals[index];
      });
    },
  };
}
