import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfigFile } from '../load-config-file.js';
import { bestConfig } from './best-config.js';
import { runSweep, type SweepEvent } from './run-sweep.js';
import { SweepStateError } from './sweep-state-error.js';
import type {
  SweepFile,
  SweepSettings,
  TrialJob,
  TrialOutcome,
  TrialParams,
  TrialRunner,
} from './sweep-types.js';
import { trialId } from './trial-id.js';

const space = { convLayers: [2, 3, 4], kernelSize: [3, 5], dropout: [0.25, 0.5] };
const settings: SweepSettings = { epochs: 2, seed: 42, trainLimit: 600 };

// A made-up landscape in which 3 conv layers, 3x3 kernels and dropout 0.25 score best.
function fakeScore(p: TrialParams): number {
  return (
    0.99 -
    0.004 * Math.abs((p.convLayers as number) - 3) -
    0.002 * ((p.kernelSize as number) - 3) -
    0.01 * ((p.dropout as number) - 0.25)
  );
}

function fakeRunner(options: { hangOn?: number; fail?: (p: TrialParams) => TrialOutcome | undefined } = {}) {
  const calls: TrialJob[] = [];
  let running = 0;
  let peak = 0;
  const runner: TrialRunner = async (job) => {
    calls.push(job);
    if (options.hangOn !== undefined && calls.length === options.hangOn)
      return new Promise<TrialOutcome>(() => {});
    running++;
    peak = Math.max(peak, running);
    await new Promise((resolve) => setTimeout(resolve, 10 + 5 * (calls.length % 3)));
    running--;
    const failure = options.fail?.(job.params);
    if (failure !== undefined) return failure;
    const best = fakeScore(job.params);
    return {
      status: 'done',
      history: [
        { epoch: 0, valAccuracy: best - 0.01 },
        { epoch: 1, valAccuracy: best },
      ],
      seconds: 3,
    };
  };
  return {
    runner,
    calls,
    get peak() {
      return peak;
    },
  };
}

const readSweep = async (dir: string) =>
  JSON.parse(await readFile(path.join(dir, 'sweep.json'), 'utf8')) as SweepFile;

let root: string;
let n = 0;
const freshDir = () => path.join(root, `sweep-${n++}`);
beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'sweep-run-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('runSweep', () => {
  it('runs the grid with at most `parallel` trials at once and writes sweep.json, sweep.html and best.json', async () => {
    const outDir = freshDir();
    const fake = fakeRunner();
    const events: SweepEvent[] = [];
    const result = await runSweep({
      outDir,
      space,
      search: { kind: 'grid' },
      settings,
      parallel: 3,
      runner: fake.runner,
      onEvent: (e) => events.push(e),
    });

    expect(fake.calls).toHaveLength(12);
    expect(fake.peak).toBe(3);
    expect(fake.calls[0]!.outDir).toBe(
      path.join(outDir, 'trials', trialId({ convLayers: 2, kernelSize: 3, dropout: 0.25 })),
    );
    expect(result.interrupted).toBe(false);

    const file = await readSweep(outDir);
    expect(file.trials).toHaveLength(12);
    expect(file.trials.every((t) => t.status === 'done' && t.epochsRun === 2 && t.bestEpoch === 1)).toBe(
      true,
    );
    expect(file.settings).toEqual(settings);
    expect(file.space).toEqual(space);
    expect(file.objective).toBe('valAccuracy');
    const winner = { convLayers: 3, kernelSize: 3, dropout: 0.25 };
    expect(file.best).toEqual({ id: trialId(winner), params: winner, valAccuracy: 0.99, bestEpoch: 1 });

    // best.json is a --config file the trainer accepts, holding the winner's configuration.
    const best = await loadConfigFile(path.join(outDir, 'best.json'));
    expect(best).toEqual(JSON.parse(JSON.stringify(bestConfig(winner, settings))));
    expect(best.model?.convLayers).toBe(3);

    const html = await readFile(path.join(outDir, 'sweep.html'), 'utf8');
    expect(html).toContain(trialId(winner));
    expect((await stat(path.join(outDir, 'trials'))).isDirectory()).toBe(true);

    expect(events[0]).toMatchObject({
      type: 'sweepStart',
      reused: 0,
      counts: { finished: 0, running: 0, left: 12, total: 12 },
    });
    const ends = events.filter((e) => e.type === 'trialEnd');
    expect(ends).toHaveLength(12);
    expect(ends.at(-1)).toMatchObject({
      counts: { finished: 12, running: 0, left: 0 },
      best: { id: trialId(winner) },
    });
    for (const e of events) if (e.type !== 'sweepStart') expect(e.counts.running).toBeLessThanOrEqual(3);
  });

  it('after a kill, sweep.json keeps the finished trials and a rerun runs only the rest', async () => {
    const outDir = freshDir();
    // The 6th trial never ends: the sweep is "killed" while it runs.
    const first = fakeRunner({ hangOn: 6 });
    void runSweep({ outDir, space, search: { kind: 'grid' }, settings, parallel: 1, runner: first.runner });
    await expect.poll(() => first.calls.length, { timeout: 5000 }).toBe(6);
    await expect
      .poll(async () => (await readSweep(outDir)).trials.filter((t) => t.status === 'running').length)
      .toBe(1);
    const killed = await readSweep(outDir);
    expect(killed.trials.filter((t) => t.status === 'done')).toHaveLength(5);
    expect(killed.trials.filter((t) => t.status === 'pending')).toHaveLength(6);
    const doneIds = new Set(killed.trials.filter((t) => t.status === 'done').map((t) => t.id));

    const second = fakeRunner();
    const events: SweepEvent[] = [];
    await runSweep({
      outDir,
      space,
      search: { kind: 'grid' },
      settings,
      parallel: 2,
      runner: second.runner,
      onEvent: (e) => events.push(e),
    });
    expect(second.calls).toHaveLength(7);
    for (const job of second.calls) expect(doneIds.has(job.id)).toBe(false);
    expect(second.calls.map((c) => c.id)).toContain(killed.trials.find((t) => t.status === 'running')!.id);
    expect(events[0]).toMatchObject({ type: 'sweepStart', reused: 5, counts: { finished: 5, left: 7 } });
    const file = await readSweep(outDir);
    expect(file.trials.filter((t) => t.status === 'done')).toHaveLength(12);
    expect(file.createdAt).toBe(killed.createdAt);

    // A third run finds nothing to do; a grown grid runs only the new points.
    const third = fakeRunner();
    await runSweep({ outDir, space, search: { kind: 'grid' }, settings, parallel: 2, runner: third.runner });
    expect(third.calls).toHaveLength(0);
    const grown = fakeRunner();
    await runSweep({
      outDir,
      space: { ...space, dropout: [0.25, 0.5, 0.4] },
      search: { kind: 'grid' },
      settings,
      parallel: 2,
      runner: grown.runner,
    });
    expect(grown.calls.map((c) => c.params.dropout)).toEqual([0.4, 0.4, 0.4, 0.4, 0.4, 0.4]);
  });

  it('stops starting trials when aborted, records them as left, and a rerun finishes them', async () => {
    const outDir = freshDir();
    const controller = new AbortController();
    const fake = fakeRunner();
    const result = await runSweep({
      outDir,
      space,
      search: { kind: 'grid' },
      settings,
      parallel: 2,
      runner: fake.runner,
      signal: controller.signal,
      onEvent: (e) => {
        if (e.type === 'trialEnd' && e.counts.finished >= 3) controller.abort();
      },
    });
    expect(result.interrupted).toBe(true);
    expect(fake.calls.length).toBeLessThan(12);
    const again = fakeRunner();
    await runSweep({ outDir, space, search: { kind: 'grid' }, settings, parallel: 2, runner: again.runner });
    expect(fake.calls.length + again.calls.length).toBe(12);
    expect(new Set([...fake.calls, ...again.calls].map((c) => c.id)).size).toBe(12);
    expect((await readSweep(outDir)).trials.every((t) => t.status === 'done')).toBe(true);
  });

  it('records failed trials with their error, ranks without them, and retries them on a rerun', async () => {
    const outDir = freshDir();
    const failing = fakeRunner({
      fail: (p) =>
        p.convLayers === 4
          ? { status: 'failed', history: [], seconds: 1, error: 'out of memory\nat ...' }
          : undefined,
    });
    await runSweep({
      outDir,
      space,
      search: { kind: 'grid' },
      settings,
      parallel: 2,
      runner: failing.runner,
    });
    let file = await readSweep(outDir);
    const failed = file.trials.filter((t) => t.status === 'failed');
    expect(failed).toHaveLength(4);
    expect(failed[0]).toMatchObject({ valAccuracy: null, error: 'out of memory\nat ...' });
    expect(file.best?.params).toEqual({ convLayers: 3, kernelSize: 3, dropout: 0.25 });

    const retry = fakeRunner();
    await runSweep({ outDir, space, search: { kind: 'grid' }, settings, parallel: 2, runner: retry.runner });
    expect(retry.calls.map((c) => c.params.convLayers)).toEqual([4, 4, 4, 4]);
    file = await readSweep(outDir);
    expect(file.trials.every((t) => t.status === 'done' && t.error === undefined)).toBe(true);
  });

  it('scores a timed-out trial on the epochs it finished and stops the sweep on a usage error', async () => {
    const outDir = freshDir();
    const runner: TrialRunner = async (job) =>
      job.params.dropout === 0.5
        ? { status: 'timed-out', history: [{ epoch: 0, valAccuracy: 0.95 }], seconds: 9 }
        : {
            status: 'done',
            history: [
              { epoch: 0, valAccuracy: 0.9 },
              { epoch: 1, valAccuracy: 0.93 },
            ],
            seconds: 5,
          };
    await runSweep({
      outDir,
      space: { dropout: [0.25, 0.5] },
      search: { kind: 'grid' },
      settings,
      parallel: 1,
      runner,
    });
    const file = await readSweep(outDir);
    expect(file.best).toMatchObject({ params: { dropout: 0.5 }, valAccuracy: 0.95, bestEpoch: 0 });
    expect(file.trials.find((t) => t.params.dropout === 0.5)).toMatchObject({
      status: 'timed-out',
      epochsRun: 1,
    });

    const calls: TrialJob[] = [];
    const refusing: TrialRunner = async (job) => {
      calls.push(job);
      return {
        status: 'failed',
        history: [],
        seconds: 0.1,
        error: 'mnist-train: --data-dir: no such folder',
        usageError: true,
      };
    };
    const result = await runSweep({
      outDir: freshDir(),
      space,
      search: { kind: 'grid' },
      settings,
      parallel: 1,
      runner: refusing,
    });
    expect(calls).toHaveLength(1);
    expect(result.usageError).toMatch(/no such folder/);
  });

  it('refuses to resume a folder whose sweep used other settings', async () => {
    const outDir = freshDir();
    await runSweep({
      outDir,
      space: { dropout: [0.25] },
      search: { kind: 'grid' },
      settings,
      parallel: 1,
      runner: fakeRunner().runner,
    });
    const other = runSweep({
      outDir,
      space: { dropout: [0.25] },
      search: { kind: 'grid' },
      settings: { ...settings, epochs: 3 },
      parallel: 1,
      runner: fakeRunner().runner,
    });
    await expect(other).rejects.toThrow(SweepStateError);
    await expect(
      runSweep({
        outDir,
        space: { dropout: [0.25] },
        search: { kind: 'grid' },
        settings: { ...settings, epochs: 3 },
        parallel: 1,
        runner: fakeRunner().runner,
      }),
    ).rejects.toThrow(/holds a sweep run with other settings .*"epochs":2.*"epochs":3/);
  });

  it('repeats a seeded random search exactly, so a rerun skips all of its trials', async () => {
    const outDir = freshDir();
    const search = { kind: 'random', trials: 5, seed: 9 } as const;
    const first = fakeRunner();
    await runSweep({ outDir, space, search, settings, parallel: 2, runner: first.runner });
    expect(first.calls).toHaveLength(5);
    const second = fakeRunner();
    await runSweep({ outDir, space, search, settings, parallel: 2, runner: second.runner });
    expect(second.calls).toHaveLength(0);
    expect((await readSweep(outDir)).search).toEqual(search);
  });
});
