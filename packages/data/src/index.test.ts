import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));

/** Every module specifier `file` imports or re-exports. */
function importsOf(file: string): string[] {
  const source = readFileSync(join(here, file), 'utf8');
  return [...source.matchAll(/^(?:import|export)\s[^;]*?from\s+'([^']+)'/gms)].map((m) => m[1]!);
}

describe('the main entry', () => {
  it('reaches no Node built-in module, so it can run in a browser', () => {
    const seen = new Set<string>();
    const external = new Set<string>();
    const visit = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const spec of importsOf(file)) {
        if (spec.startsWith('./')) visit(spec.replace(/\.js$/, '.ts'));
        else external.add(spec);
      }
    };
    visit('index.ts');
    expect(seen.size).toBeGreaterThan(15);
    expect([...external].sort()).toEqual(['@mnist/core', '@tensorflow/tfjs-core']);
  });

  it('exports the agreed API by name', async () => {
    const api = await import('./index.js');
    for (const name of [
      'parseIdxImages',
      'parseIdxLabels',
      'IdxFormatError',
      'normalizeImages',
      'computePixelStats',
      'shuffleImageSet',
      'splitTrainValidation',
      'makeBatch',
      'iterateBatches',
      'createRng',
      'MNIST_CLASS_COUNTS',
      'augmentImageSet',
      'checkAugmentationConfig',
      'AugmentationConfigError',
      'transformImage',
    ]) {
      expect(api, name).toHaveProperty(name);
    }
    const node = await import('./node.js');
    for (const name of [
      'loadMnist',
      'loadMnistFromPackage',
      'loadMnistFromDir',
      'downloadMnist',
      'DataSourceError',
      'DownloadError',
    ]) {
      expect(node, name).toHaveProperty(name);
    }
  });
});
