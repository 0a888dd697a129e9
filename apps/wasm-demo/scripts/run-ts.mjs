// Runs one of this app's TypeScript scripts in Node (Node 20 cannot strip types itself) through
// Vite's module runner, which the app already depends on: `node scripts/run-ts.mjs scripts/x.ts [args]`.
import { resolve } from 'node:path';
import { runnerImport } from 'vite';

const [script] = process.argv.splice(2, 1);
if (script === undefined) {
  console.error('usage: node scripts/run-ts.mjs <script.ts> [args...]');
  process.exit(2);
}
await runnerImport(resolve(script), { configFile: false, logLevel: 'error' });
