import { backend, getBackend } from '@tensorflow/tfjs-core';

/**
 * Stops tfjs's cpu backend from printing its "install tfjs-node" banner on first use: the trainer
 * already says which backend runs and why, and the banner would land in the middle of its output.
 * Marks the active cpu backend as used (its `firstUse` flag is the only switch short of PROD mode,
 * which would also hide useful warnings). Does nothing on other backends.
 */
export function silenceCpuBanner(): void {
  if (getBackend() !== 'cpu') return;
  const cpu = backend() as unknown as { firstUse?: boolean };
  if (typeof cpu.firstUse === 'boolean') cpu.firstUse = false;
}
