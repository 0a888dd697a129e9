#!/usr/bin/env node
// Prints the closing line CI reads, `vitest: N passed, M failed, K skipped`, summed over the vitest
// JSON reports that the test lanes of every workspace package write: `test` to
// test-results/unit.json and `test:e2e` to test-results/e2e.json (turbo restores both on a cache
// hit). A lane that has a script but left no report (it crashed, or turbo skipped it because what
// it depends on failed) is named, and the exit status is 1. Delete the reports before the run, or
// an old one would be counted.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const LANES = { test: 'unit.json', 'test:e2e': 'e2e.json' };

const totals = { passed: 0, failed: 0, skipped: 0 };
const missing = [];
for (const group of ['packages', 'apps', 'e2e']) {
  const groupDir = path.join(root, group);
  if (!existsSync(groupDir)) continue;
  for (const entry of readdirSync(groupDir).sort()) {
    const manifestFile = path.join(groupDir, entry, 'package.json');
    if (!existsSync(manifestFile)) continue;
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
    for (const [lane, file] of Object.entries(LANES)) {
      if (manifest.scripts?.[lane] === undefined) continue;
      const report = path.join(groupDir, entry, 'test-results', file);
      if (!existsSync(report)) {
        missing.push(`${manifest.name} ${lane}`);
        continue;
      }
      const r = JSON.parse(readFileSync(report, 'utf8'));
      totals.passed += r.numPassedTests;
      totals.failed += r.numFailedTests;
      totals.skipped += r.numPendingTests + r.numTodoTests;
    }
  }
}
if (missing.length > 0) console.log(`no vitest report from: ${missing.join(', ')}`);
console.log(`vitest: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exitCode = missing.length > 0 ? 1 : 0;
