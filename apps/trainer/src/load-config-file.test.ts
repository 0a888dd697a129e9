import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliUsageError } from './cli-usage-error.js';
import { loadConfigFile, parseConfigFile } from './load-config-file.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'trainer-config-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('loadConfigFile', () => {
  it('reads model and training sections', async () => {
    const file = path.join(dir, 'ok.json');
    await writeFile(file, JSON.stringify({ model: { convLayers: 2 }, training: { epochs: 4 } }));
    expect(await loadConfigFile(file)).toEqual({ model: { convLayers: 2 }, training: { epochs: 4 } });
  });

  it('reports a missing file and bad JSON as usage errors naming the file', async () => {
    const missing = path.join(dir, 'missing.json');
    await expect(loadConfigFile(missing)).rejects.toThrow(
      `--config ${missing}: cannot read the file (ENOENT)`,
    );
    const bad = path.join(dir, 'bad.json');
    await writeFile(bad, '{"model": ');
    await expect(loadConfigFile(bad)).rejects.toBeInstanceOf(CliUsageError);
    await expect(loadConfigFile(bad)).rejects.toThrow(`--config ${bad}: not valid JSON`);
  });

  it('rejects unknown keys and sections that are not objects', () => {
    expect(() => parseConfigFile([], 'f.json')).toThrow('--config f.json: expected a JSON object');
    expect(() => parseConfigFile({ modle: {} }, 'f.json')).toThrow('unknown key "modle"');
    expect(() => parseConfigFile({ training: 3 }, 'f.json')).toThrow('"training" must be an object');
  });
});
