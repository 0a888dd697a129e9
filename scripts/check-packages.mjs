#!/usr/bin/env node
// Packaging gates for every publishable package (the libraries under packages/ and the CLI,
// @mnist/cli in apps/trainer): publint --strict (package.json and files agree with what Node and
// bundlers expect) and, for the libraries, are-the-types-wrong on the packed tarball (ESM-only:
// types must resolve for node16/nodenext ESM and bundlers). Run after `pnpm build`. Also checks
// that no changeset names both a published package and a private app: `changeset version` refuses
// such a file, and it would only show at release time.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
let failed = 0;
const dirs = ['packages', 'apps'].flatMap((group) =>
  readdirSync(path.join(root, group)).map((entry) => path.join(root, group, entry)),
);
for (const dir of dirs) {
  const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
  if (pkg.private) continue;
  // A CLI has a bin and no importable entry: there are no types for attw to check.
  const hasTypes = pkg.types !== undefined || JSON.stringify(pkg.exports ?? {}).includes('"types"');
  const gates = [['publint', ['--strict']]];
  if (hasTypes) gates.push(['attw', ['--pack', '.', '--profile', 'esm-only', '--format', 'table-flipped']]);
  for (const [tool, args] of gates) {
    console.log(`\n# ${tool} ${pkg.name}`);
    const result = spawnSync(bin(tool), args, { cwd: dir, stdio: 'inherit' });
    if (result.status !== 0) {
      failed += 1;
      console.error(`! ${tool} failed for ${pkg.name}`);
    }
  }
}
const privacy = new Map();
for (const group of ['packages', 'apps', 'e2e']) {
  for (const entry of readdirSync(path.join(root, group))) {
    const file = path.join(root, group, entry, 'package.json');
    try {
      const pkg = JSON.parse(readFileSync(file, 'utf8'));
      privacy.set(pkg.name, pkg.private === true);
    } catch (error) {
      if (error.code !== 'ENOENT') throw error;
    }
  }
}
const changesetDir = path.join(root, '.changeset');
for (const entry of readdirSync(changesetDir).filter(
  (name) => name.endsWith('.md') && name !== 'README.md',
)) {
  const text = readFileSync(path.join(changesetDir, entry), 'utf8');
  const front = /^---\n([\s\S]*?)\n---/.exec(text)?.[1] ?? '';
  const names = [...front.matchAll(/^\s*["']?([^"':]+)["']?\s*:/gm)].map((m) => m[1].trim());
  const unknown = names.filter((name) => !privacy.has(name));
  const kinds = new Set(names.filter((name) => privacy.has(name)).map((name) => privacy.get(name)));
  if (unknown.length > 0 || kinds.size > 1) {
    failed += 1;
    console.error(
      `! .changeset/${entry}: ${unknown.length > 0 ? `unknown package(s) ${unknown.join(', ')}` : 'names both published packages and private apps; split it in two'}`,
    );
  }
}

if (failed > 0) {
  console.error(`\n${failed} packaging check(s) failed`);
  process.exit(1);
}
console.log('\nall published packages pass publint --strict, and attw where they have types');
