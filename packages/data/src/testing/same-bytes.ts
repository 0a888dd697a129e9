/**
 * Test helper: whether two typed arrays hold the same bytes. vitest's deep equality walks typed
 * arrays element by element, which takes seconds for megabytes.
 */
export function sameBytes(a: ArrayBufferView, b: ArrayBufferView | undefined): boolean {
  if (b === undefined) return false;
  const bytes = (v: ArrayBufferView) => new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  return Buffer.compare(bytes(a), bytes(b)) === 0;
}
