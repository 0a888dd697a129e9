// A vitest globalSetup for packages whose tests run built code outside vitest's module graph:
// @mnist/train's gradient worker threads start from dist/gradient-worker.js, the trainer's CLI tests
// spawn dist/cli.js, and both load their workspace dependencies from those packages' dist/. Vitest
// would happily run such tests against a build older than the sources, and they would pass or fail
// for code that no longer exists; this refuses to start instead. `turbo run test` builds first,
// so it only ever stops a direct `npx vitest run` after an edit.
//
// It compares sources, not timestamps: tsup writes source maps whose `sourcesContent` holds every
// source file exactly as it was bundled, so a dist is fresh when each of those files still reads
// the same. A checkout or a touch that changes no byte is no reason to rebuild; an edit that kept
// the old mtime (a restored backup, `cp -p`) still is.
import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';

/**
 * Lists what is stale in the builds that the tests of the package at `packageDir` execute: its own
 * dist/ and that of every workspace package it depends on (directly, as a dev dependency, or through
 * another workspace package). Returns one line per stale package, empty when all are fresh.
 *
 * @param {string} packageDir folder of the package.json whose tests are about to run
 * @returns {string[]}
 */
export function staleBuilds(packageDir) {
  const problems = [];
  for (const dir of packagesToCheck(packageDir)) {
    const problem = checkBuild(dir);
    if (problem !== null) problems.push(problem);
  }
  return problems;
}

/**
 * The globalSetup entry: throws, with the command that rebuilds, when `staleBuilds` finds anything.
 *
 * @param {{ config: { root: string } }} project the vitest project about to run
 */
export default function setup(project) {
  const problems = staleBuilds(project.config.root);
  if (problems.length === 0) return;
  const name = readManifest(project.config.root).name;
  throw new Error(
    `${name}: its tests run built code, and the build is older than the sources:\n` +
      problems.map((problem) => `  - ${problem}\n`).join('') +
      `Build first: npx turbo run build --filter=${name}... (\`turbo run test\` and \`pnpm test\` do).`,
  );
}

function readManifest(dir) {
  return JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
}

function workspaceDependencies(dir, fields) {
  const manifest = readManifest(dir);
  const names = fields.flatMap((field) =>
    Object.entries(manifest[field] ?? {})
      .filter(([, spec]) => String(spec).startsWith('workspace:'))
      .map(([dependency]) => dependency),
  );
  return names.map((dependency) => realpathSync(path.join(dir, 'node_modules', dependency)));
}

/** The package itself, then its workspace dependencies, each once. */
function packagesToCheck(packageDir) {
  const seen = new Set([realpathSync(packageDir)]);
  // Dev dependencies count for the package under test only: a dependency's are not loaded at run time.
  const queue = workspaceDependencies(packageDir, ['dependencies', 'devDependencies', 'peerDependencies']);
  while (queue.length > 0) {
    const dir = queue.shift();
    if (seen.has(dir)) continue;
    seen.add(dir);
    queue.push(...workspaceDependencies(dir, ['dependencies', 'peerDependencies']));
  }
  return [...seen];
}

function sourceMaps(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.js.map'))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

/** `null` when `dir`'s dist/ was built from the sources now on disk, else what is wrong. */
function checkBuild(dir) {
  const name = readManifest(dir).name;
  const dist = path.join(dir, 'dist');
  if (!existsSync(dist)) return `${name}: no dist/ (never built)`;
  const maps = sourceMaps(dist);
  if (maps.length === 0)
    return `${name}: dist/ has no source maps to check it against (build with sourcemap: true)`;
  const changed = new Set();
  for (const mapFile of maps) {
    const map = JSON.parse(readFileSync(mapFile, 'utf8'));
    if (!Array.isArray(map.sourcesContent)) {
      return `${name}: ${path.relative(dir, mapFile)} has no sourcesContent to check the build against`;
    }
    const base = path.resolve(path.dirname(mapFile), map.sourceRoot ?? '');
    map.sources.forEach((source, i) => {
      const file = path.resolve(base, source);
      // Only the package's own sources: bundled third-party code is pinned by the lockfile.
      if (!file.startsWith(dir + path.sep) || file.includes(`${path.sep}node_modules${path.sep}`)) return;
      const relative = path.relative(dir, file);
      if (!existsSync(file)) changed.add(`${relative} (deleted)`);
      else if (readFileSync(file, 'utf8') !== map.sourcesContent[i]) changed.add(relative);
    });
  }
  if (changed.size === 0) return null;
  return `${name}: changed since its last build: ${[...changed].sort().join(', ')}`;
}
