import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Rollup } from 'vite';
import { describe, expect, it } from 'vitest';
import { APP_DIR } from './ensure-build.js';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('@mnist/model/pretrained in a browser bundle', () => {
  it('bundles with Vite and brings the float weights along (the demo, not importing it, has none)', async () => {
    const { build } = await import('vite');
    const result = await build({
      root: APP_DIR,
      configFile: false,
      logLevel: 'silent',
      build: {
        write: false,
        target: 'es2022',
        rollupOptions: { input: join(APP_DIR, 'e2e/fixtures/pretrained-app.ts') },
      },
    });
    const outputs = (Array.isArray(result) ? result : [result]) as Rollup.RollupOutput[];
    const files = outputs.flatMap((output) => output.output);
    const floatWeights = readFileSync(join(APP_DIR, 'node_modules/@mnist/model/weights/weights.bin'));
    const weights = files.filter(
      (file) =>
        file.type === 'asset' &&
        typeof file.source !== 'string' &&
        sha256(file.source) === sha256(floatWeights),
    );
    expect(weights.map((file) => file.fileName)).toEqual([
      expect.stringMatching(/^assets\/weights-[\w-]+\.bin$/),
    ]);
  });
});
