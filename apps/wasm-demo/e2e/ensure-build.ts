import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The app's folder. */
export const APP_DIR = fileURLToPath(new URL('..', import.meta.url));
/** Where `vite build` writes the static site. */
export const DIST_DIR = join(APP_DIR, 'dist');

function newest(path: string): number {
  const info = statSync(path, { throwIfNoEntry: false });
  if (info === undefined) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))));
}

/** The built `dist/` folders of the workspace packages the page bundles (`@mnist/model`, ...). */
function workspaceDists(): string[] {
  const manifest = JSON.parse(readFileSync(join(APP_DIR, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
  };
  return Object.entries(manifest.dependencies ?? {})
    .filter(([, range]) => range.startsWith('workspace:'))
    .map(([name]) => join(APP_DIR, 'node_modules', name, 'dist'));
}

/**
 * Returns the built site's folder, building it first when there is no build or a source file, or
 * the build of a workspace package it bundles, is newer than it (`pnpm test` builds the apps
 * beforehand, so this usually reuses that build): a test never inspects a stale site.
 */
export async function ensureBuild(): Promise<string> {
  const built = newest(join(DIST_DIR, 'index.html'));
  const sources = Math.max(
    ...['src', 'public', 'scripts/lib', 'index.html', 'vite.config.ts'].map((path) =>
      newest(join(APP_DIR, path)),
    ),
    ...workspaceDists().map(newest),
  );
  if (built === 0 || sources > built) {
    const { build } = await import('vite');
    await build({ root: APP_DIR, logLevel: 'warn' });
  }
  return DIST_DIR;
}
