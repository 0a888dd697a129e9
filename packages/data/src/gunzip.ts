import { IdxFormatError } from './idx-format-error.js';

/** Whether `bytes` start with the gzip magic number `1f 8b` (content, not file name, decides). */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Decides, from the first bytes of the decompressed output, how many bytes the whole output must
 * have; returns that length, or throws to stop decompressing. Called once, when at least
 * `headerLength` bytes have arrived (or the stream ended before that).
 */
export type ExpectedLength = (head: Uint8Array) => number;

/** Deflate's best case is about 1032:1, so no gzip stream of n bytes decompresses to more than this. */
const maxGunzippedLength = (n: number): number => n * 1032 + 1024;

/**
 * Gunzips `bytes` with the platform's `DecompressionStream` (browsers and Node 20 both have it),
 * stopping as soon as the output outgrows what the IDX header announced, so a header or gzip
 * stream that claims more data than it carries never makes us buffer it. Returns the output.
 */
export async function gunzip(
  bytes: Uint8Array,
  fileName: string,
  headerLength: number,
  expectedLength: ExpectedLength,
): Promise<Uint8Array> {
  // gzip's trailer holds the decompressed size (mod 2^32): when it agrees with the IDX header we
  // write straight into one buffer of that size instead of keeping chunks and copying them again.
  const trailerSize =
    bytes.length >= 18
      ? new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(bytes.length - 4, true)
      : -1;
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>])
    .stream()
    .pipeThrough(new DecompressionStream('gzip'));
  const reader = stream.getReader();
  let chunks: Uint8Array[] = [];
  let out: Uint8Array | null = null;
  let total = 0;
  let expected = -1;
  try {
    for (;;) {
      let result: ReadableStreamReadResult<Uint8Array>;
      try {
        result = await reader.read();
      } catch (cause) {
        throw new IdxFormatError(
          fileName,
          `is not a valid gzip stream (${cause instanceof Error ? cause.message : String(cause)})`,
          { cause },
        );
      }
      if (result.done) break;
      const chunk = result.value;
      if (expected >= 0 && total + chunk.length > expected) throw trailingData(fileName, expected);
      if (out) out.set(chunk, total);
      else chunks.push(chunk);
      total += chunk.length;
      if (expected < 0 && total >= headerLength) {
        expected = expectedLength(concat(chunks, headerLength));
        if (expected > maxGunzippedLength(bytes.length)) {
          throw new IdxFormatError(
            fileName,
            `is truncated: the header announces ${expected} bytes but ${bytes.length} gzipped bytes cannot hold more than ${maxGunzippedLength(bytes.length)}`,
          );
        }
        if (total > expected) throw trailingData(fileName, expected);
        if (expected === trailerSize) {
          out = new Uint8Array(expected);
          out.set(concat(chunks, total));
          chunks = [];
        }
      }
    }
  } finally {
    // Stop the decompressor when we bail out early; a no-op once the stream has ended.
    await reader.cancel().catch(() => {});
  }
  if (out) return total === out.length ? out : out.subarray(0, total);
  return concat(chunks, total);
}

function trailingData(fileName: string, expected: number): IdxFormatError {
  return new IdxFormatError(
    fileName,
    `decompresses to more than the ${expected} bytes its header announces (trailing data)`,
  );
}

function concat(chunks: Uint8Array[], length: number): Uint8Array {
  const out = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    if (offset >= length) break;
    const part = chunk.length <= length - offset ? chunk : chunk.subarray(0, length - offset);
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
