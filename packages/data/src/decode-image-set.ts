import type { RawImageSet } from './dataset-types.js';
import { IdxFormatError } from './idx-format-error.js';
import { parseIdxImages } from './parse-idx-images.js';
import { parseIdxLabels } from './parse-idx-labels.js';

/**
 * Parses an images file and its labels file (raw or gzipped) into one `RawImageSet`, checking
 * that both hold the same number of items. Throws `IdxFormatError` naming the files otherwise.
 */
export async function decodeImageSet(
  images: { bytes: Uint8Array; fileName: string },
  labels: { bytes: Uint8Array; fileName: string },
): Promise<RawImageSet> {
  const [parsed, labelBytes] = await Promise.all([
    parseIdxImages(images.bytes, images.fileName),
    parseIdxLabels(labels.bytes, labels.fileName),
  ]);
  if (parsed.count !== labelBytes.length) {
    throw new IdxFormatError(
      images.fileName,
      `holds ${parsed.count} images but ${labels.fileName} holds ${labelBytes.length} labels; expected one label per image`,
    );
  }
  return {
    images: parsed.images,
    labels: labelBytes,
    count: parsed.count,
    rows: parsed.rows,
    cols: parsed.cols,
  };
}
