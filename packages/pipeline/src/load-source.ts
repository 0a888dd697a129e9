import { IMAGE_SIZE } from '@mnist/core';
import type { MnistDataset, RawImageSet } from '@mnist/data';
import type { TrainMnistSource } from './pipeline-types.js';
import { TrainMnistOptionsError } from './train-mnist-options-error.js';

/**
 * The dataset `source` names: an in-memory dataset as it is (checked), anything else through
 * `loadMnist` of `@mnist/data/node`, which throws `DataSourceError` naming a source it cannot read.
 * Internal.
 */
export async function loadSource(source: TrainMnistSource): Promise<MnistDataset> {
  if (typeof source === 'object' && source !== null && 'train' in source && 'test' in source) {
    checkRawSet(source.train, 'source.train');
    checkRawSet(source.test, 'source.test');
    return source;
  }
  // Imported on demand: an app that passes a dataset it loaded itself (a browser) needs no Node API.
  const { loadMnist } = await import('@mnist/data/node');
  return loadMnist({ source });
}

function checkRawSet(set: RawImageSet, where: string): void {
  const ok =
    typeof set === 'object' &&
    set !== null &&
    set.images instanceof Uint8Array &&
    set.labels instanceof Uint8Array &&
    set.rows === IMAGE_SIZE &&
    set.cols === IMAGE_SIZE &&
    Number.isInteger(set.count) &&
    set.labels.length === set.count &&
    set.images.length === set.count * IMAGE_SIZE * IMAGE_SIZE;
  if (!ok) {
    throw new TrainMnistOptionsError(
      `${where} must be a RawImageSet of ${IMAGE_SIZE}x${IMAGE_SIZE} byte images with one byte label each ` +
        `(count, rows, cols, images, labels agreeing), got ${describeSet(set)}`,
    );
  }
}

function describeSet(set: unknown): string {
  if (typeof set !== 'object' || set === null) return JSON.stringify(set) ?? String(set);
  const s = set as Partial<Record<keyof RawImageSet, unknown>>;
  const length = (a: unknown) =>
    ArrayBuffer.isView(a) ? `${a.constructor.name}(${(a as Uint8Array).length})` : typeof a;
  return `{ count: ${String(s.count)}, rows: ${String(s.rows)}, cols: ${String(s.cols)}, images: ${length(s.images)}, labels: ${length(s.labels)} }`;
}
