/**
 * Mixes a base seed with indices (epoch, batch, layer) into a well-spread unsigned 32-bit seed, so
 * that every shuffle and every dropout mask gets its own reproducible stream. Internal.
 */
// A few lines of integer hashing (murmur3's finalizer per part) rather than a dependency: all we
// need is that nearby inputs give unrelated outputs, the same on every platform.
export function deriveSeed(seed: number, ...parts: number[]): number {
  let h = Math.trunc(seed) >>> 0;
  for (const part of [...parts, parts.length]) {
    h = Math.imul(h ^ (Math.trunc(part) >>> 0), 0x9e3779b1);
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}
