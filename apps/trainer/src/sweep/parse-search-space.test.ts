import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSpaceFile, mergeSearchSpace, parseSpaceFile, parseSweepList } from './parse-search-space.js';
import { SearchSpaceError } from './search-space-error.js';
import { SWEEP_PARAMS, type SweepParamSpec } from './sweep-params.js';

const spec = (flag: string): SweepParamSpec => SWEEP_PARAMS.find((s) => s.flag === flag)!;

function listError(flag: string, raw: string): SearchSpaceError {
  try {
    parseSweepList(spec(flag), raw);
  } catch (error) {
    expect(error).toBeInstanceOf(SearchSpaceError);
    expect((error as SearchSpaceError).exitCode).toBe(2);
    return error as SearchSpaceError;
  }
  throw new Error(`expected ${flag} "${raw}" to be refused`);
}

function fileError(value: unknown): SearchSpaceError {
  try {
    parseSpaceFile(value, 'space.json');
  } catch (error) {
    expect(error).toBeInstanceOf(SearchSpaceError);
    return error as SearchSpaceError;
  }
  throw new Error(`expected ${JSON.stringify(value)} to be refused`);
}

describe('parseSweepList', () => {
  it('parses each comma-separated value with the trainer flag parser, keeping the order', () => {
    expect(parseSweepList(spec('--conv-layers'), '2,3,4')).toEqual([2, 3, 4]);
    expect(parseSweepList(spec('--dropout'), '0.5, 0.25 ,0')).toEqual([0.5, 0.25, 0]);
    expect(parseSweepList(spec('--learning-rate'), '1e-3,3e-4')).toEqual([0.001, 0.0003]);
    expect(parseSweepList(spec('--dense-units'), '0,128')).toEqual([0, 128]);
    expect(parseSweepList(spec('--batch-size'), '64')).toEqual([64]);
  });

  it('refuses an empty list or an empty item, naming the flag', () => {
    expect(listError('--dropout', '').message).toMatch(/^--dropout has an empty list/);
    expect(listError('--dropout', '  ').message).toMatch(/^--dropout has an empty list/);
    expect(listError('--kernel-size', '3,,5').message).toBe(
      '--kernel-size "3,,5": item 2 is empty; separate values with single commas.',
    );
    expect(listError('--kernel-size', '3,').message).toMatch(/^--kernel-size "3,": item 2 is empty/);
  });

  it('refuses a value that is not a number, naming the flag and the value', () => {
    const error = listError('--conv-layers', '2,three');
    expect(error.message).toMatch(
      /^--conv-layers "2,three": --conv-layers accepts a whole number of 1 or more/,
    );
    expect(error.message).toContain('"three"');
  });

  it('refuses values out of the range a single run accepts', () => {
    expect(listError('--dropout', '0.25,1').message).toMatch(
      /--dropout accepts a number from 0 up to but not including 1/,
    );
    expect(listError('--conv-layers', '0,1').message).toMatch(
      /--conv-layers accepts a whole number of 1 or more/,
    );
    expect(listError('--kernel-size', '2.5').message).toMatch(/--kernel-size accepts a whole number/);
    expect(listError('--learning-rate', '0,0.1').message).toMatch(
      /--learning-rate accepts a number greater than 0/,
    );
    expect(listError('--dense-units', '-1').message).toMatch(
      /--dense-units accepts a whole number of 0 or more/,
    );
  });

  it('refuses a value given twice, even when written differently', () => {
    expect(listError('--dropout', '0.25,0.5,.25').message).toBe(
      '--dropout "0.25,0.5,.25" lists 0.25 twice; give each value once.',
    );
  });
});

describe('parseSpaceFile', () => {
  it('reads lists per parameter, with per-layer filter lists allowed', () => {
    expect(
      parseSpaceFile(
        { convLayers: [2, 3], filters: [16, [32, 64, 64]], learningRate: [0.001] },
        'space.json',
      ),
    ).toEqual({ convLayers: [2, 3], filters: [16, [32, 64, 64]], learningRate: [0.001] });
  });

  it('refuses an unknown parameter, naming it, with a hint for flag spellings', () => {
    expect(fileError({ convLayers: [2], layers: [3] }).message).toBe(
      '--space space.json: unknown parameter "layers"; expected one of convLayers, kernelSize, filters, dropout, denseUnits, learningRate, batchSize.',
    );
    expect(fileError({ 'kernel-size': [3] }).message).toMatch(
      /unknown parameter "kernel-size" \(did you mean "kernelSize"\?\)/,
    );
  });

  it('refuses empty lists, non-numbers, out-of-range values and duplicates, naming the file and parameter', () => {
    expect(fileError({ dropout: [] }).message).toBe(
      '--space space.json: "dropout" must be a non-empty list of values, such as [0.25, 0.5].',
    );
    expect(fileError({ dropout: 0.25 }).message).toMatch(/"dropout" must be a non-empty list/);
    expect(fileError({ dropout: ['0.25'] }).message).toBe(
      '--space space.json: "dropout": values must be numbers (got "0.25").',
    );
    expect(fileError({ dropout: [1.5] }).message).toMatch(
      /^--space space.json: "dropout": --dropout accepts a number from 0/,
    );
    expect(fileError({ kernelSize: [3, 3] }).message).toBe(
      '--space space.json: "kernelSize" lists 3 twice; give each value once.',
    );
    expect(
      fileError({
        filters: [
          [32, 64],
          [32, 64],
        ],
      }).message,
    ).toMatch(/lists \[32,64\] twice/);
    expect(fileError({ filters: [[]] }).message).toMatch(/per-layer filters list cannot be empty/);
    expect(fileError({ convLayers: [[2, 3]] }).message).toMatch(/"convLayers": values must be numbers/);
    expect(fileError([1, 2]).message).toMatch(/^--space space.json: expected a JSON object/);
  });
});

describe('loadSpaceFile', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'sweep-space-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads a JSON file and reports a missing file or bad JSON with the path', async () => {
    const good = path.join(dir, 'good.json');
    await writeFile(good, '{"kernelSize": [3, 5]}');
    expect(await loadSpaceFile(good)).toEqual({ kernelSize: [3, 5] });
    const bad = path.join(dir, 'bad.json');
    await writeFile(bad, '{"kernelSize": [3, 5]');
    await expect(loadSpaceFile(bad)).rejects.toThrow(`--space ${bad}: not valid JSON`);
    await expect(loadSpaceFile(path.join(dir, 'none.json'))).rejects.toThrow(
      /cannot read the file \(ENOENT\)/,
    );
  });
});

describe('mergeSearchSpace', () => {
  it('lets a flag replace the file list of its parameter and orders parameters canonically', () => {
    const merged = mergeSearchSpace(
      { dropout: [0.1], convLayers: [2, 3] },
      { dropout: [0.25, 0.5], kernelSize: [3] },
    );
    expect(merged).toEqual({ convLayers: [2, 3], kernelSize: [3], dropout: [0.25, 0.5] });
    expect(Object.keys(merged)).toEqual(['convLayers', 'kernelSize', 'dropout']);
  });

  it('refuses an empty search, listing the flags that make one', () => {
    expect(() => mergeSearchSpace({}, {})).toThrow(
      /nothing to search: give at least one of --conv-layers, --kernel-size/,
    );
  });
});
