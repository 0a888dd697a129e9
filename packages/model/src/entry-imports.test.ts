import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';

const STATIC_IMPORT = /^(?:import|export)\s[^;]*?\sfrom\s+'([^']+)'/gm;

/** Every module the browser entry pulls in statically, with the specifiers each imports. */
async function staticGraph(entry: string): Promise<Map<string, string[]>> {
  const graph = new Map<string, string[]>();
  const pending = [entry];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (graph.has(file)) continue;
    const source = await readFile(new URL(file, import.meta.url), 'utf8');
    const specifiers = [...source.matchAll(STATIC_IMPORT)].map((match) => match[1]!);
    graph.set(file, specifiers);
    for (const specifier of specifiers) {
      if (specifier.startsWith('./')) pending.push(specifier.replace(/\.js$/, '.ts'));
    }
  }
  return graph;
}

describe('the browser entry', () => {
  it('imports no Node built-in statically, anywhere in its module graph', async () => {
    const graph = await staticGraph('./index.ts');
    expect(graph.has('./load-pretrained.ts')).toBe(true);
    expect(graph.has('./file-system-io.ts')).toBe(true); // reached, but it imports Node lazily
    const external = new Set([...graph.values()].flat().filter((s) => !s.startsWith('./')));
    expect([...external].sort()).toEqual([
      '@mnist/core',
      '@mnist/data',
      '@mnist/metrics',
      '@tensorflow/tfjs-core',
      '@tensorflow/tfjs-layers',
    ]);
  });
});
