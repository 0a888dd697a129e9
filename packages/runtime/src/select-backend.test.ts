import { createRequire } from 'node:module';
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { env, getBackend } from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import type { BackendName } from './backend-types.js';
import { BackendUnavailableError } from './backend-unavailable-error.js';
import { selectBackend } from './select-backend.js';

const require = createRequire(import.meta.url);

// The tests below are about a machine where tfjs-node is installed but cannot load (as here).
const nodeLoads = await import(/* @vite-ignore */ '@tensorflow/tfjs-node' as string).then(
  () => true,
  () => false,
);
const tfjsNodeLoads = () => nodeLoads;

describe('selectBackend', () => {
  it('activates cpu and wasm on request, wasm with the training kernels registered', async () => {
    expect(await selectBackend('cpu')).toBe('cpu');
    expect(getBackend()).toBe('cpu');
    expect(await selectBackend('wasm')).toBe('wasm');
    expect(getBackend()).toBe('wasm');
    const { getKernel } = await import('@tensorflow/tfjs-core');
    expect(getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
  });

  it('keeps wasm on its single-threaded builds, where a cross-origin isolated page would get the threaded one', async () => {
    await import('@tensorflow/tfjs-backend-wasm');
    // What tfjs decides in a browser whose page is cross-origin isolated (in Node it never is).
    env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
    expect(await selectBackend('wasm')).toBe('wasm');
    expect(await env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')).toBe(false);
  });

  it.skipIf(tfjsNodeLoads())(
    'auto falls back silently to wasm when tfjs-node cannot load, and says so',
    async () => {
      await selectBackend('cpu');
      const skipped: [BackendName, BackendUnavailableError][] = [];
      const backend = await selectBackend('auto', {
        onFallback: (name, reason) => skipped.push([name, reason]),
      });
      expect(backend).toBe('wasm');
      expect(getBackend()).toBe('wasm');
      expect(skipped).toHaveLength(1);
      expect(skipped[0]![0]).toBe('tensorflow');
      expect(skipped[0]![1]).toBeInstanceOf(BackendUnavailableError);
      // Without a listener it is silent and still works.
      expect(await selectBackend('auto')).toBe('wasm');
    },
  );

  it.skipIf(tfjsNodeLoads())(
    'an explicit node that cannot load throws a clear error saying how to install it',
    async () => {
      const error = await selectBackend('node').then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(BackendUnavailableError);
      const message = (error as Error).message;
      expect(message).toMatch(/backend 'node' needs @tensorflow\/tfjs-node, which could not be loaded/);
      expect(message).toMatch(/pnpm add @tensorflow\/tfjs-node@4\.22\.0/);
      expect(message).toMatch(/choose backend 'wasm' or 'auto'/);
      expect((error as Error).cause).toBeInstanceOf(Error);
    },
  );

  it('refuses an unknown choice', async () => {
    await expect(selectBackend('gpu' as never)).rejects.toThrow(
      /backend must be one of 'auto', 'node', 'wasm', 'cpu'/,
    );
  });

  it('sees one copy of @tensorflow/tfjs-core, shared with tfjs-node when that is installed', () => {
    const ours = realpathSync(path.dirname(require.resolve('@tensorflow/tfjs-core/package.json')));
    let tfjsNodeDir: string;
    try {
      tfjsNodeDir = path.dirname(require.resolve('@tensorflow/tfjs-node/package.json'));
    } catch {
      return; // tfjs-node is an optional peer: nothing to compare with.
    }
    // tfjs-node -> @tensorflow/tfjs -> @tensorflow/tfjs-core
    const fromNode = createRequire(path.join(tfjsNodeDir, 'package.json'));
    const tfjsDir = path.dirname(fromNode.resolve('@tensorflow/tfjs/package.json'));
    const fromTfjs = createRequire(path.join(tfjsDir, 'package.json'));
    const theirs = realpathSync(path.dirname(fromTfjs.resolve('@tensorflow/tfjs-core/package.json')));
    expect(theirs).toBe(ours);
  });
});
