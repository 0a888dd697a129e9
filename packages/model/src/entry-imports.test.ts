import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';

const STATIC_IMPORT =
  /^\s*(?:import|export)\s[^;]*?\sfrom\s*["']([^"']+)["']|^\s*import\s*["']([^"']+)["']/gm;
const DYNAMIC_IMPORT = /\bimport\(\s*["']([^"']+)["']\s*\)/g;
/**
 * The expression that Vite, webpack 5 and Parcel turn into an emitted asset: whatever it names is
 * copied into the app's output as soon as the module is in the app's graph, used or not.
 */
const ASSET_URL = /new URL\(\s*["'`]([^"'`]+)["'`]\s*,\s*import\.meta\.url\s*\)/g;

interface ModuleInfo {
  staticImports: string[];
  dynamicImports: string[];
  assets: string[];
}

/**
 * Every module `entry` pulls in (keyed by URL), following relative imports both static and
 * dynamic: a bundler emits a dynamically imported module, and its assets, even if the app never
 * calls the code that imports it. `toFile` maps a relative specifier to the file it names.
 */
async function moduleGraph(
  entry: string,
  toFile: (specifier: string) => string = (s) => s,
): Promise<Map<string, ModuleInfo>> {
  const graph = new Map<string, ModuleInfo>();
  const pending = [here(entry)];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (graph.has(file)) continue;
    const source = await readFile(new URL(file), 'utf8');
    const info: ModuleInfo = {
      staticImports: [...source.matchAll(STATIC_IMPORT)].map((match) => (match[1] ?? match[2])!),
      dynamicImports: [...source.matchAll(DYNAMIC_IMPORT)].map((match) => match[1]!),
      assets: [...source.matchAll(ASSET_URL)].map((match) => match[1]!),
    };
    graph.set(file, info);
    for (const specifier of [...info.staticImports, ...info.dynamicImports]) {
      if (specifier.startsWith('./')) pending.push(new URL(toFile(specifier), file).href);
    }
  }
  return graph;
}

/** The URL of a file given relative to this test's folder (src/). */
const here = (file: string) => new URL(file, import.meta.url).href;
const sourceGraph = (entry: string) => moduleGraph(entry, (s) => s.replace(/\.js$/, '.ts'));
const externals = (graph: Map<string, ModuleInfo>, kind: 'staticImports' | 'dynamicImports') =>
  [...new Set([...graph.values()].flatMap((info) => info[kind]).filter((s) => !s.startsWith('./')))].sort();
const assets = (graph: Map<string, ModuleInfo>) => [...graph.values()].flatMap((info) => info.assets).sort();

describe('the main entry', () => {
  it('references no asset anywhere in its module graph, so a bundler emits no weights', async () => {
    const graph = await sourceGraph('./index.ts');
    expect(graph.has(here('./load-pretrained.ts'))).toBe(false);
    expect(assets(graph)).toEqual([]);
  });

  it('imports no Node built-in, statically or on demand', async () => {
    const graph = await sourceGraph('./index.ts');
    // @mnist/data and @mnist/metrics by their browser entries (evaluateModel batches and scores).
    expect(externals(graph, 'staticImports')).toEqual([
      '@mnist/core',
      '@mnist/data',
      '@mnist/metrics',
      '@tensorflow/tfjs-core',
      '@tensorflow/tfjs-layers',
    ]);
    expect(externals(graph, 'dynamicImports')).toEqual([]);
  });

  it('as built into dist/ (what an app bundles) references no asset either', async () => {
    const built = await moduleGraph('../dist/index.js').catch((error: unknown) => {
      throw new Error(
        'packages/model/dist is missing: build the package first (pnpm --filter @mnist/model build)',
        {
          cause: error,
        },
      );
    });
    expect(assets(built)).toEqual([]);
    for (const [file, info] of built) expect(info.dynamicImports, file).toEqual([]);
  });
});

// Each shipped model's loader names only its own files: an app importing one carries no other's.
describe.each([
  { entry: 'pretrained', folder: 'weights' },
  { entry: 'pretrained-best', folder: 'weights-best' },
])('the $entry entry', ({ entry, folder }) => {
  it(`references ${folder}/ only, each file as its own asset`, async () => {
    const expected = [`../${folder}/model.json`, `../${folder}/weights.bin`];
    expect(assets(await sourceGraph(`./${entry}.ts`))).toEqual(expected);
    expect(assets(await moduleGraph(`../dist/${entry}.js`))).toEqual(expected);
  });

  it('imports no Node built-in statically: it runs in the browser, and reads files only under Node', async () => {
    const graph = await sourceGraph(`./${entry}.ts`);
    expect(graph.has(here('./model-folder-source.ts'))).toBe(true); // reached: it imports Node on demand
    // Not the writing side: @mnist/core/node imports Node built-ins by name, which a browser bundler
    // cannot bundle even behind a dynamic import (it fails the build).
    expect(graph.has(here('./file-system-io.ts'))).toBe(false);
    expect(externals(graph, 'staticImports')).toEqual([
      '@mnist/core',
      '@tensorflow/tfjs-core',
      '@tensorflow/tfjs-layers',
    ]);
    expect(externals(graph, 'dynamicImports')).toEqual(['node:fs/promises', 'node:path', 'node:url']);
  });
});
