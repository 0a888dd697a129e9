import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfigFile } from '../load-config-file.js';
import { bestConfig } from './best-config.js';
import { runSweepCommand, type SweepIo } from './run-sweep-command.js';
import type { SweepFile, TrialRunner } from './sweep-types.js';

const appDir = fileURLToPath(new URL('../..', import.meta.url));
const cli = path.join(appDir, 'dist', 'cli.js');
const run = promisify(execFile);

async function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [cli, ...args], {
      cwd: appDir,
      env: { ...process.env, INIT_CWD: '' },
      maxBuffer: 16 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

function memoryIo(cwd: string, runner?: TrialRunner): SweepIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    stdout: { write: (text: string) => out.push(text) },
    stderr: { write: (text: string) => err.push(text) },
    env: {},
    cwd,
    ...(runner === undefined ? {} : { runner }),
  };
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'sweep-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('runSweepCommand', () => {
  it('resolves --out against the invoking folder and reports bad spaces with status 2 before any trial', async () => {
    let calls = 0;
    const runner: TrialRunner = async () => {
      calls++;
      return { status: 'done', history: [{ epoch: 0, valAccuracy: 0.5 }], seconds: 1 };
    };
    const io = memoryIo(dir, runner);
    expect(await runSweepCommand(['--dropout', '0.25,0.5', '--out', 'rel', '--quiet'], io)).toBe(0);
    expect(calls).toBe(2);
    expect(io.out).toEqual([]);
    const file = JSON.parse(await readFile(path.join(dir, 'rel', 'sweep.json'), 'utf8')) as SweepFile;
    expect(file.trials.map((t) => t.status)).toEqual(['done', 'done']);

    const bad = memoryIo(dir, runner);
    expect(await runSweepCommand(['--conv-layers', '1', '--kernel-size', '3,29', '--out', 'bad'], bad)).toBe(
      2,
    );
    expect(bad.err.join('')).toMatch(/the trial convLayers=1 kernelSize=29 cannot be trained/);
    const empty = memoryIo(dir, runner);
    expect(await runSweepCommand(['--epochs', '2'], empty)).toBe(2);
    expect(empty.err.join('')).toMatch(/nothing to search/);
    expect(calls).toBe(2);
  });

  it('exits 1 when a trial failed, naming how many', async () => {
    const io = memoryIo(dir, async (job) =>
      job.params.dropout === 0.5
        ? { status: 'failed', history: [], seconds: 1, error: 'boom' }
        : { status: 'done', history: [{ epoch: 0, valAccuracy: 0.5 }], seconds: 1 },
    );
    expect(await runSweepCommand(['--dropout', '0.25,0.5', '--out', 'failing'], io)).toBe(1);
    expect(io.err.join('')).toContain('1 trial failed');
    expect(io.out.join('')).toMatch(/failed \w+ dropout=0.5: failed: boom/);
  });
});

describe('pnpm train -- sweep (dist/cli.js, real trainer processes)', () => {
  it('runs 2 tiny trials in parallel, writes the results, and a rerun skips them', async () => {
    if (!existsSync(cli)) throw new Error(`${cli} is missing: run \`pnpm --filter @mnist/cli build\` first`);
    const out = path.join(dir, 'real');
    const args = ['--', 'sweep', '--conv-layers', '1,2', '--filters', '4', '--dense-units', '8'];
    const shared = ['--train-limit', '300', '--epochs', '1', '--parallel', '2', '--out', out];
    const first = await runCli([...args, ...shared]);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('sweep: 2 trials');
    expect(first.stdout).toContain('grid search, 2 at a time (1 thread each)');
    expect(first.stdout.match(/^\[\d\/2 finished, \d running, \d left\] done /gm)).toHaveLength(2);

    const file = JSON.parse(await readFile(path.join(out, 'sweep.json'), 'utf8')) as SweepFile;
    expect(file.trials).toHaveLength(2);
    for (const trial of file.trials) {
      expect(trial.status).toBe('done');
      expect(trial.epochsRun).toBe(1);
      expect(trial.valAccuracy).toBeGreaterThanOrEqual(0);
      expect(trial.valAccuracy).toBeLessThanOrEqual(1);
      // The score is the trial's own validation history, not its test accuracy.
      const metrics = JSON.parse(await readFile(path.join(out, 'trials', trial.id, 'metrics.json'), 'utf8'));
      expect(trial.valAccuracy).toBe(
        Math.max(...metrics.history.map((e: { valAccuracy: number }) => e.valAccuracy)),
      );
      expect(metrics.config.model.filters).toBe(4);
      // Trials side by side get one gradient thread each, and no per-epoch test evaluations.
      expect(metrics.config.training.threads).toBe(1);
      expect(metrics.timeToTarget).toBeNull();
      expect(metrics.epochTests).toEqual([]);
      expect(metrics.data.trainSamples + metrics.data.validationSamples).toBe(300);
    }
    const best = await loadConfigFile(path.join(out, 'best.json'));
    expect(best).toEqual(JSON.parse(JSON.stringify(bestConfig(file.best!.params, file.settings))));
    expect(best.model).toMatchObject({ convLayers: file.best!.params.convLayers, filters: 4, denseUnits: 8 });
    expect(await readFile(path.join(out, 'sweep.html'), 'utf8')).toContain(file.best!.id);

    const again = await runCli(['sweep', ...args.slice(2), ...shared]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('sweep: 2 trials, 2 finished in an earlier run, 0 to run');
    expect(again.stdout).not.toMatch(/ start /);
  });

  it('scores a trial stopped by --trial-time-limit on the full-precision epochEnd events of its --json stream', async () => {
    const out = path.join(dir, 'time-limit');
    // 31 validation images: every accuracy is k/31, which no figure rounded to 0.01% equals.
    const args = [
      'sweep',
      '--learning-rate',
      '0.01',
      '--conv-layers',
      '1',
      '--filters',
      '4',
      '--dense-units',
      '8',
    ];
    args.push(
      '--train-limit',
      '310',
      '--validation-split',
      '0.1',
      '--epochs',
      '10000',
      '--early-stopping-patience',
      '0',
    );
    args.push('--trial-time-limit', '6', '--parallel', '1');
    const outcome = await runCli([...args, '--out', out]);
    expect(outcome.stderr).toBe('');
    expect(outcome.code).toBe(0);
    const file = JSON.parse(await readFile(path.join(out, 'sweep.json'), 'utf8')) as SweepFile;
    const [trial] = file.trials;
    expect(trial).toMatchObject({ status: 'timed-out' });
    expect(trial!.epochsRun).toBeGreaterThan(0);
    expect(trial!.epochsRun).toBeLessThan(10000);
    const right = trial!.valAccuracy! * 31;
    expect(right).toBeGreaterThan(0);
    expect(right).toBeLessThan(31);
    expect(Math.abs(right - Math.round(right))).toBeLessThan(1e-9);
    expect(outcome.stdout).toMatch(/ timed-out \w+ .*: time limit after \d+ epoch\(s\): val [\d.]+% /);
  });

  it('names the flag of a bad list, with status 2', async () => {
    const outcome = await runCli(['--', 'sweep', '--dropout', '0.25,1.5', '--out', path.join(dir, 'x')]);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toContain(
      '--dropout "0.25,1.5": --dropout accepts a number from 0 up to but not including 1',
    );
  });
});
