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
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>])
    .stream()
    .pipeThrough(new DecompressionStream('gzip'));
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
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
      chunks.push(result.value);
      total += result.value.length;
      if (expected < 0 && total >= headerLength) expected = expectedLength(concat(chunks, headerLength));
      if (expected >= 0 && total > expected) {
        throw new IdxFormatError(
          fileName,
          `decompresses to more than the ${expected} bytes its header announces (trailing data)`,
        );
      }
    }
  } finally {
    // Stop the decompressor when we bail out early; a no-op once the stream has ended.
    await reader.cancel().catch(() => {});
  }
  return concat(chunks, total);
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
