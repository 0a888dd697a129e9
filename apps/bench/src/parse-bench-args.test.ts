import { describe, expect, it } from 'vitest';
import { BenchError } from './bench-error.js';
import { DEFAULT_BENCH_OPTIONS, parseBenchArgs } from './parse-bench-args.js';

describe('parseBenchArgs', () => {
  it('gives the defaults with no flags: the trainer batch size, 1 and 2 threads, three rounds, every side', () => {
    const options = parseBenchArgs([]);
    expect(options).toEqual({ ...DEFAULT_BENCH_OPTIONS });
    expect(options.batchSize).toBe(64);
    // Both sides train on 1 and on 2 threads by default; the main table runs at the first.
    expect(options.threads).toEqual([1, 2]);
    expect(options.rounds).toBe(3);
    expect(options.sides).toEqual(['tfjs-wasm', 'tfjs-cpu', 'tfjs-node', 'pytorch']);
    expect(options.batchSizes).toEqual([128]);
  });

  it('reads every numeric flag', () => {
    const options = parseBenchArgs([
      '--steps=12',
      '--warmup',
      '0',
      '--cpu-steps',
      '2',
      '--batch-size',
      '128',
      '--threads',
      '2',
      '--rounds',
      '5',
      '--infer-batches',
      '4',
      '--latency-calls',
      '50',
      '--seed',
      '7',
    ]);
    expect(options).toMatchObject({
      steps: 12,
      warmupSteps: 0,
      cpuSteps: 2,
      batchSize: 128,
      threads: [2],
      rounds: 5,
      inferBatches: 4,
      latencyCalls: 50,
      // Never more single-image calls on the slow cpu backend than on the others.
      cpuLatencyCalls: 50,
      seed: 7,
    });
  });

  it('parses the sweep lists, dropping duplicates and keeping the order given', () => {
    const options = parseBenchArgs(['--batch-sizes', '32,64,128,256,512', '--threads', '2,1,2']);
    expect(options.batchSizes).toEqual([32, 64, 128, 256, 512]);
    // The first thread count is the main table's: `--threads 2,1` puts 2 threads there.
    expect(options.threads).toEqual([2, 1]);
  });

  it('accepts thread counts up to the 64 that @mnist/train accepts', () => {
    expect(parseBenchArgs(['--threads', '4']).threads).toEqual([4]);
    expect(parseBenchArgs(['--threads', '1,64']).threads).toEqual([1, 64]);
  });

  it('does not share the default thread list between calls', () => {
    parseBenchArgs([]).threads.push(8);
    expect(parseBenchArgs([]).threads).toEqual([1, 2]);
    expect(DEFAULT_BENCH_OPTIONS.threads).toEqual([1, 2]);
  });

  it('lowers the defaults for --quick, but explicit flags still win', () => {
    const quick = parseBenchArgs(['--quick']);
    expect(quick.quick).toBe(true);
    expect(quick.rounds).toBe(1);
    expect(quick.steps).toBeLessThan(DEFAULT_BENCH_OPTIONS.steps);
    expect(quick.latencyCalls).toBeLessThan(DEFAULT_BENCH_OPTIONS.latencyCalls);
    expect(parseBenchArgs(['--quick', '--rounds', '2']).rounds).toBe(2);
  });

  it('keeps the canonical side order whatever order --sides lists them in', () => {
    expect(parseBenchArgs(['--sides', 'pytorch,tfjs-wasm']).sides).toEqual(['tfjs-wasm', 'pytorch']);
  });

  it('skips the -- that pnpm forwards before the flags', () => {
    expect(parseBenchArgs(['--', '--steps', '3']).steps).toBe(3);
  });

  it('reads --python, --out and --help', () => {
    const options = parseBenchArgs(['--python', 'python3', '--out', 'x.json', '-h']);
    expect(options).toMatchObject({ python: 'python3', out: 'x.json', help: true });
  });

  it('rejects bad values naming the flag', () => {
    expect(() => parseBenchArgs(['--steps', '0'])).toThrow(/--steps: expected an integer from 1/);
    expect(() => parseBenchArgs(['--steps', '1e3'])).toThrow(
      /--steps: expected a positive integer, got "1e3"/,
    );
    expect(() => parseBenchArgs(['--batch-size', '-4'])).toThrow(BenchError);
    expect(() => parseBenchArgs(['--threads', '65'])).toThrow(
      /--threads: expected an integer from 1 to 64, got 65/,
    );
    expect(() => parseBenchArgs(['--threads', '0,2'])).toThrow(/--threads: expected an integer from 1/);
    expect(() => parseBenchArgs(['--batch-sizes', '32,,64'])).toThrow(
      /--batch-sizes: expected a comma-separated list/,
    );
    expect(() => parseBenchArgs(['--sides', 'wasm'])).toThrow(/--sides: expected some of .*got "wasm"/);
  });

  it('rejects unknown flags and stray arguments as BenchError', () => {
    expect(() => parseBenchArgs(['--stepz', '3'])).toThrow(BenchError);
    expect(() => parseBenchArgs(['extra'])).toThrow(BenchError);
    expect(() => parseBenchArgs(['--steps'])).toThrow(BenchError);
  });
});
