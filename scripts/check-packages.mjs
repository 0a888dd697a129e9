#!/usr/bin/env node
// Packaging gates for every publishable package: publint --strict (package.json and files agree
// with what Node and bundlers expect) and are-the-types-wrong on the packed tarball (ESM-only:
// types must resolve for node16/nodenext ESM and bundlers). Run after `pnpm build`.
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
if (failed > 0) {
  console.error(`\n${failed} packaging check(s) failed`);
  process.exit(1);
}
console.log('\nall packages pass publint --strict and attw');
