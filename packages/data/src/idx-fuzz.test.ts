import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { createRng } from './create-rng.js';
import { IdxFormatError } from './idx-format-error.js';
import { mnistDataPackageDir } from './load-mnist-from-package.js';
import { parseIdxImages } from './parse-idx-images.js';
import { parseIdxLabels } from './parse-idx-labels.js';
import { gzip, makeIdxImages, makeIdxLabels, patternImages } from './testing/make-idx.js';

// Fuzzing the IDX parsers: every generated file must either parse to exactly what an independent
// reference reading of the bytes says, or be refused with IdxFormatError. Nothing else may escape
// (no RangeError from a huge allocation, no TypeError), nothing may hang, and nothing returned may
// be bigger than the input could justify. Reproduce a failure with IDX_FUZZ_SEED=<seed printed>.
const SEED = Number(process.env.IDX_FUZZ_SEED ?? 20261126);
const CASES = Number(process.env.IDX_FUZZ_CASES ?? 10_000);
/** Generous: a case that takes this long is a hang, not a slow parse (cases take well under 10 ms). */
const WATCHDOG_MS = 5_000;
/** Deflate's best ratio is about 1032:1 (the bound `gunzip` enforces); nothing decoded may exceed it. */
const maxGunzipped = (n: number): number => n * 1032 + 1024;

type Kind = 'images' | 'labels';
const MAGIC = { images: 0x803, labels: 0x801 } as const;
const HEADER = { images: 16, labels: 8 } as const;

interface Expected {
  dims: number[];
  data: Uint8Array;
}

/** Reference reading of plain (not gzipped) IDX bytes, written independently of read-idx.ts. */
function referenceParse(plain: Uint8Array, kind: Kind): Expected | null {
  const header = HEADER[kind];
  if (plain.length < header) return null;
  const view = new DataView(plain.buffer, plain.byteOffset, plain.byteLength);
  if (view.getUint32(0) !== MAGIC[kind]) return null;
  const dims =
    kind === 'images' ? [view.getUint32(4), view.getUint32(8), view.getUint32(12)] : [view.getUint32(4)];
  if (kind === 'images' && (dims[1] !== 28 || dims[2] !== 28)) return null;
  // BigInt so the reference cannot share an overflow bug with the parser.
  const size = dims.reduce((a, b) => a * BigInt(b), 1n) + BigInt(header);
  if (BigInt(plain.length) !== size) return null;
  const data = plain.subarray(header);
  if (kind === 'labels' && data.some((v) => v > 9)) return null;
  return { dims, data };
}

function referenceFor(bytes: Uint8Array, kind: Kind): Expected | null {
  if (!(bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b)) return referenceParse(bytes, kind);
  try {
    return referenceParse(new Uint8Array(gunzipSync(bytes)), kind);
  } catch {
    return null;
  }
}

/** The fuzz corpus: each generator makes one hostile (or occasionally valid) file from the rng. */
function makeGenerators(rng: () => number) {
  const int = (n: number): number => Math.floor(rng() * n);
  const u32 = (): number => Math.floor(rng() * 0x1_0000_0000);
  const randomBytes = (n: number): Uint8Array => Uint8Array.from({ length: n }, () => int(256));
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  const setU32 = (b: Uint8Array, at: number, v: number): void => {
    if (at + 4 <= b.length) new DataView(b.buffer, b.byteOffset, b.byteLength).setUint32(at, v >>> 0);
  };
  const validImages = (): Uint8Array => {
    const count = int(3) + 1;
    return makeIdxImages(patternImages(count), count);
  };
  const validLabels = (): Uint8Array => makeIdxLabels(Array.from({ length: int(40) + 1 }, () => int(10)));
  const valid = (kind: Kind): Uint8Array => (kind === 'images' ? validImages() : validLabels());
  const flip = (src: Uint8Array, flips: number): Uint8Array => {
    const out = Uint8Array.from(src);
    for (let i = 0; i < flips; i++) {
      const at = int(out.length);
      out[at] = rng() < 0.5 ? out[at]! ^ (1 << int(8)) : int(256);
    }
    return out;
  };
  const truncate = (src: Uint8Array): Uint8Array => src.slice(0, int(src.length));
  // Interesting header values: 0, 1, 28, just over, powers of two, the 32-bit edges.
  const edgy = (): number =>
    pick([0, 1, 2, 27, 28, 29, 255, 256, 60_000, 0x7fff_ffff, 0x8000_0000, 0xffff_fffe, 0xffff_ffff, u32()]);

  const dir = mnistDataPackageDir();
  const realImages = readFileSync(join(dir, 't10k-images-idx3-ubyte')).subarray(0, 16 + 784 * 2);
  const realLabels = readFileSync(join(dir, 't10k-labels-idx1-ubyte')).subarray(0, 8 + 50);

  const generators: Record<string, (kind: Kind) => Uint8Array> = {
    'random bytes': () => randomBytes(int(rng() < 0.5 ? 32 : 3000)),
    'wrong magic': (kind) => {
      const b = valid(kind);
      setU32(
        b,
        0,
        pick([MAGIC[kind === 'images' ? 'labels' : 'images'], 0x803 + 1, 0x0800, 0x1f8b0800, u32()]),
      );
      return b;
    },
    truncated: (kind) => truncate(valid(kind)),
    'claims billions of images': (kind) => {
      const b = valid(kind);
      setU32(b, 4, pick([0xffff_ffff, 0x8000_0000, 1_000_000_000, 60_000, 0x10_0000 + int(1 << 30)]));
      return b;
    },
    'overflowing dimensions': (kind) => {
      const b = valid(kind);
      for (const at of [4, 8, 12]) if (rng() < 0.6) setU32(b, at, edgy());
      return b;
    },
    'mutated real header': (kind) => {
      const b = Uint8Array.from(kind === 'images' ? realImages : realLabels);
      const header = HEADER[kind];
      for (let i = 0, n = int(3) + 1; i < n; i++) b[int(header)] = int(256);
      return rng() < 0.3 ? truncate(b) : b; // real headers claim 10,000 items; the slice holds fewer
    },
    'byte flips': (kind) => flip(valid(kind), int(4) + 1),
    'labels out of range': () => {
      const labels = Array.from({ length: int(30) + 1 }, () => int(10));
      labels[int(labels.length)] = 10 + int(246);
      return makeIdxLabels(labels);
    },
    'the other kind': (kind) => valid(kind === 'images' ? 'labels' : 'images'),
    valid: (kind) => valid(kind),
    'gzip of valid': (kind) => gzip(valid(kind), int(9) + 1),
    'gzip of hostile header': (kind) => {
      const b = valid(kind);
      setU32(b, 4, edgy());
      if (kind === 'images' && rng() < 0.3) setU32(b, 8 + 4 * int(2), edgy());
      return gzip(b);
    },
    'gzip truncated': (kind) => truncate(gzip(valid(kind))),
    'gzip byte flips': (kind) => flip(gzip(valid(kind)), int(3) + 1),
    'gzip with trailing data': (kind) => {
      const b = valid(kind);
      const long = new Uint8Array(b.length + int(900) + 1);
      long.set(b);
      return gzip(long);
    },
    'gzip inside gzip': (kind) => gzip(gzip(valid(kind))),
    'gzip of zeros (bomb-like)': () => gzip(new Uint8Array(200_000 + int(400_000))),
  };
  // Gzip cases cost ~10x a raw one, so they are about a sixth of the corpus.
  const weights: Record<string, number> = {
    'random bytes': 12,
    'wrong magic': 8,
    truncated: 10,
    'claims billions of images': 10,
    'overflowing dimensions': 12,
    'mutated real header': 10,
    'byte flips': 14,
    'labels out of range': 4,
    'the other kind': 2,
    valid: 2,
    'gzip of valid': 2,
    'gzip of hostile header': 4,
    'gzip truncated': 3,
    'gzip byte flips': 4,
    'gzip with trailing data': 1,
    'gzip inside gzip': 1,
    'gzip of zeros (bomb-like)': 0.3,
  };
  const names = Object.keys(generators);
  const totalWeight = names.reduce((a, n) => a + weights[n]!, 0);
  return (): { name: string; kind: Kind; bytes: Uint8Array } => {
    let r = rng() * totalWeight;
    let name = names[names.length - 1]!;
    for (const n of names) {
      r -= weights[n]!;
      if (r < 0) {
        name = n;
        break;
      }
    }
    const kind: Kind = rng() < 0.5 ? 'images' : 'labels';
    return { name, kind, bytes: generators[name]!(kind) };
  };
}

const stats = {
  cases: 0,
  parsed: 0,
  refused: 0,
  maxCaseMs: 0,
  maxArrayBufferGrowth: 0,
  byGenerator: {} as Record<string, number>,
};

afterAll(() => {
  // Printed so that BENCHMARKS.md can quote it and a failing run can be replayed.
  console.log(`idx fuzz: seed ${SEED}, ${JSON.stringify(stats)}`);
});

describe('IDX parser fuzz', () => {
  it(`parses or refuses with IdxFormatError every one of ${CASES} hostile files (seed ${SEED})`, async () => {
    console.log(`idx fuzz seed: ${SEED} (replay with IDX_FUZZ_SEED=${SEED})`);
    const next = makeGenerators(createRng(SEED));
    const baseline = process.memoryUsage().arrayBuffers;
    for (let i = 0; i < CASES; i++) {
      const { name, kind, bytes } = next();
      const where = `case ${i} (${name}, ${kind}, ${bytes.length} bytes, seed ${SEED})`;
      const reference = referenceFor(bytes, kind);
      const started = performance.now();
      let timer: NodeJS.Timeout | undefined;
      const watchdog = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`${where} did not return within ${WATCHDOG_MS} ms`)),
          WATCHDOG_MS,
        );
      });
      const parse =
        kind === 'images'
          ? parseIdxImages(bytes, 'fuzz').then((r) => ({ dims: [r.count, r.rows, r.cols], data: r.images }))
          : parseIdxLabels(bytes, 'fuzz').then((data) => ({ dims: [data.length], data }));
      const outcome = await Promise.race([parse, watchdog]).then(
        (value) => ({ value, error: undefined as unknown }),
        (error: unknown) => ({ value: undefined, error }),
      );
      clearTimeout(timer);
      stats.maxCaseMs = Math.max(stats.maxCaseMs, performance.now() - started);
      stats.cases++;
      stats.byGenerator[name] = (stats.byGenerator[name] ?? 0) + 1;

      if (outcome.value) {
        stats.parsed++;
        // What parsed must be what the bytes say, and never larger than the input justifies.
        expect(reference, `${where} parsed but the reference refuses it`).not.toBeNull();
        expect(outcome.value.dims, where).toEqual(reference!.dims);
        expect(outcome.value.data.length === reference!.data.length, where).toBe(true);
        expect(Buffer.compare(outcome.value.data, reference!.data), where).toBe(0);
        expect(outcome.value.data.byteLength, where).toBeLessThanOrEqual(maxGunzipped(bytes.length));
      } else {
        stats.refused++;
        if (!(outcome.error instanceof IdxFormatError)) {
          throw new Error(`${where} threw something other than IdxFormatError: ${String(outcome.error)}`, {
            cause: outcome.error,
          });
        }
        expect(outcome.error.fileName).toBe('fuzz');
        // A raw file the reference accepts must parse: refusing valid data is a bug too. (Gzipped
        // input is exempt: the platform's DecompressionStream may be stricter than zlib at the edges.)
        if (bytes[0] !== 0x1f || bytes[1] !== 0x8b || name === 'gzip of valid') {
          expect(reference, `${where} refused a valid file`).toBeNull();
        }
      }
      if (i % 250 === 0) {
        stats.maxArrayBufferGrowth = Math.max(
          stats.maxArrayBufferGrowth,
          process.memoryUsage().arrayBuffers - baseline,
        );
      }
    }
    // No case holds more than a few MB (the bomb-like case decompresses to at most 600 kB): if any
    // header claim were believed before the bytes were counted, this would be gigabytes or a RangeError.
    expect(stats.maxArrayBufferGrowth).toBeLessThan(64 * 1024 * 1024);
    expect(stats.parsed).toBeGreaterThan(0);
    expect(stats.refused).toBeGreaterThan(CASES / 2);
  }, 120_000);
});
