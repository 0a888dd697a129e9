import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const PACKAGES = [
  '@mnist/core',
  '@mnist/data',
  '@mnist/model',
  '@mnist/runtime',
  '@mnist/train',
  '@mnist/metrics',
  '@mnist/wasm-kernels',
  '@tensorflow/tfjs-core',
  '@tensorflow/tfjs-layers',
  '@tensorflow/tfjs-backend-wasm',
  '@tensorflow/tfjs-backend-cpu',
];

/** The trainer's own version, from the package.json next to `src/` and `dist/`. */
export function trainerVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return manifest.version;
}

/**
 * Versions of Node, the trainer and the packages that shaped a run, for metrics.json: enough to
 * tell two runs' numbers apart. A package that cannot be resolved is left out rather than failing.
 */
export function collectVersions(): Record<string, string> {
  const require = createRequire(import.meta.url);
  const versions: Record<string, string> = { node: process.version, trainer: trainerVersion() };
  for (const name of PACKAGES) {
    try {
      versions[name] = (require(`${name}/package.json`) as { version: string }).version;
    } catch {
      // Not exposed or not installed: nothing to report.
    }
  }
  return versions;
}
