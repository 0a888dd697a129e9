#!/usr/bin/env node
// Packaging gates for every publishable package: publint --strict (package.json and files agree
// with what Node and bundlers expect) and are-the-types-wrong on the packed tarball (ESM-only:
// types must resolve for node16/nodenext ESM and bundlers). Run after `pnpm build`. Also checks
// that no changeset names both a published package and a private app: `changeset version` refuses
// such a file, and it would only show at release time.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
let failed = 0;
for (const entry of readdirSync(path.join(root, 'packages'))) {
  const dir = path.join(root, 'packages', entry);
  const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
  if (pkg.private) continue;
  for (const [tool, args] of [
    ['publint', ['--strict']],
    ['attw', ['--pack', '.', '--profile', 'esm-only', '--format', 'table-flipped']],
  ]) {
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
console.log('\nall packages pass publint --strict and attw');
