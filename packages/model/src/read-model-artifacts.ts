import type { io } from '@tensorflow/tfjs-core';
import { ModelLoadError } from './model-load-error.js';

/**
 * Where the files of a saved model come from: a folder on disk or a base URL. Sources resolve
 * weights paths themselves and must refuse any that leaves the model's folder.
 */
export interface ModelFileSource {
  /** Path or URL of `model.json`, for messages. */
  readonly modelJsonLocation: string;
  /** Path or URL a weights path from the manifest resolves to, for messages. */
  locate(path: string): string;
  /** Reads `model.json`. Throws `ModelLoadError` (`missing-file`, `read-failed`, ...). */
  readModelJson(): Promise<Uint8Array>;
  /**
   * Reads one weights file. `maxBytes` is what the manifest still expects, so a source can refuse a
   * larger file before reading it. Throws `ModelLoadError`.
   */
  readWeights(path: string, maxBytes: number): Promise<Uint8Array>;
}

/** Bytes per stored value, by weight dtype or by quantization dtype. */
const STORED_BYTES: Record<string, number> = {
  float32: 4,
  int32: 4,
  bool: 1,
  uint8: 1,
  uint16: 2,
  float16: 2,
};
const WEIGHT_DTYPES = ['float32', 'int32', 'bool'];
const QUANTIZATION_DTYPES = ['uint8', 'uint16', 'float16'];

/**
 * Reads and checks a model saved in the TensorFlow.js layers format (`model.json` plus weights
 * files) from `source`, as `tf.io.ModelArtifacts`.
 *
 * Every manifest entry is checked before any weights are read: paths must be plain relative paths
 * (no `..`, no absolute path, no URL, no backslash), dtypes those of a layers model, shapes
 * non-negative integers; each weights group's files must add up to exactly the bytes its entries
 * declare (a truncated or padded file is an error naming it).
 *
 * @throws ModelLoadError naming the file at fault.
 */
export async function readModelArtifacts(source: ModelFileSource): Promise<io.ModelArtifacts> {
  const jsonFile = source.modelJsonLocation;
  const invalid = (message: string, cause?: unknown) =>
    new ModelLoadError(`${jsonFile}: ${message}`, { file: jsonFile, reason: 'invalid-model-json', cause });

  const text = new TextDecoder().decode(await source.readModelJson());
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw invalid(`is not valid JSON (${(error as Error).message})`, error);
  }
  if (!isRecord(json)) throw invalid('must hold a JSON object');
  const { modelTopology, weightsManifest } = json;
  if (!isRecord(modelTopology)) {
    throw invalid('has no "modelTopology" object; is it a TensorFlow.js layers model?');
  }
  if (!Array.isArray(weightsManifest)) throw invalid('has no "weightsManifest" array');

  const groups = weightsManifest.map((group, g) => checkGroup(group, g, invalid, source, jsonFile));

  const buffers: Uint8Array[] = [];
  for (const group of groups) {
    let read = 0;
    for (const path of group.paths) {
      const data = await source.readWeights(path, group.bytes - read);
      if (read + data.byteLength > group.bytes) {
        throw sizeError(source.locate(path), `is larger than the ${group.bytes} bytes ${jsonFile} declares`);
      }
      read += data.byteLength;
      buffers.push(data);
    }
    if (read < group.bytes) {
      const files = group.paths.map((p) => source.locate(p));
      const last = files[files.length - 1] ?? jsonFile;
      throw sizeError(
        last,
        `${files.length === 1 ? 'is' : `and the other files of its group are`} ${read} bytes but ${jsonFile} ` +
          `declares ${group.bytes} bytes of weights (truncated file?)`,
      );
    }
  }

  const weightData = concat(buffers);
  const artifacts: io.ModelArtifacts = {
    modelTopology,
    weightSpecs: groups.flatMap((group) => group.weights),
    weightData,
  };
  if (typeof json.format === 'string') artifacts.format = json.format;
  if (typeof json.generatedBy === 'string') artifacts.generatedBy = json.generatedBy;
  if (typeof json.convertedBy === 'string' || json.convertedBy === null)
    artifacts.convertedBy = json.convertedBy;
  if (isRecord(json.trainingConfig))
    artifacts.trainingConfig = json.trainingConfig as unknown as io.TrainingConfig;
  if (isRecord(json.userDefinedMetadata)) {
    artifacts.userDefinedMetadata = json.userDefinedMetadata as NonNullable<
      io.ModelArtifacts['userDefinedMetadata']
    >;
  }
  if (isRecord(json.signature)) artifacts.signature = json.signature;
  if (isRecord(json.modelInitializer)) artifacts.modelInitializer = json.modelInitializer;
  return artifacts;
}

/** Bytes a manifest entry takes in its weights file. */
export function storedBytes(spec: io.WeightsManifestEntry): number {
  const dtype = spec.quantization?.dtype ?? spec.dtype;
  return spec.shape.reduce((a, b) => a * b, 1) * (STORED_BYTES[dtype] ?? Number.NaN);
}

/**
 * Whether `path` is a plain relative path that stays inside the model's folder: no `..` segment,
 * no leading `/`, no drive or URL scheme, no backslash, query, fragment or NUL.
 */
export function isSafeRelativePath(path: string): boolean {
  if (path.length === 0 || /[\\?#\0]/.test(path) || path.startsWith('/')) return false;
  if (/^[a-z][a-z0-9+.-]*:/i.test(path)) return false;
  return path.split('/').every((segment) => segment !== '..' && segment !== '');
}

interface CheckedGroup {
  paths: string[];
  weights: io.WeightsManifestEntry[];
  bytes: number;
}

function checkGroup(
  group: unknown,
  g: number,
  invalid: (message: string) => ModelLoadError,
  source: ModelFileSource,
  jsonFile: string,
): CheckedGroup {
  const where = `weightsManifest[${g}]`;
  if (!isRecord(group)) throw invalid(`${where} must be an object with "paths" and "weights"`);
  const { paths, weights } = group;
  if (!Array.isArray(paths) || !paths.every((p) => typeof p === 'string')) {
    throw invalid(`${where}.paths must be an array of file names`);
  }
  if (!Array.isArray(weights)) throw invalid(`${where}.weights must be an array`);
  for (const path of paths as string[]) {
    if (!isSafeRelativePath(path)) {
      throw new ModelLoadError(
        `${jsonFile}: weights path ${JSON.stringify(path)} in ${where} leaves the model's folder; ` +
          'weights paths must be plain relative paths (no "..", no absolute path or URL)',
        { file: source.locate(path.replace(/\0/g, '')), reason: 'unsafe-path' },
      );
    }
  }
  let bytes = 0;
  const checked = weights.map((entry, w): io.WeightsManifestEntry => {
    const at = `${where}.weights[${w}]`;
    if (!isRecord(entry) || typeof entry.name !== 'string' || entry.name === '') {
      throw invalid(`${at} must have a non-empty "name"`);
    }
    const { shape, dtype, quantization, name } = entry;
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
      throw invalid(`weight "${name}" (${at}) must have a "shape" of non-negative integers`);
    }
    if (typeof dtype !== 'string' || !WEIGHT_DTYPES.includes(dtype)) {
      throw invalid(
        `weight "${name}" (${at}) has dtype ${JSON.stringify(dtype)}; a layers model stores ${WEIGHT_DTYPES.join(', ')}`,
      );
    }
    if (quantization !== undefined) {
      if (!isRecord(quantization) || !QUANTIZATION_DTYPES.includes(quantization.dtype as string)) {
        throw invalid(
          `weight "${name}" (${at}) has an unknown quantization; expected dtype ${QUANTIZATION_DTYPES.join(', ')}`,
        );
      }
    }
    const spec = { ...entry } as unknown as io.WeightsManifestEntry;
    bytes += storedBytes(spec);
    return spec;
  });
  if (paths.length === 0 && bytes > 0) throw invalid(`${where} declares weights but lists no files`);
  return { paths: paths as string[], weights: checked, bytes };
}

function sizeError(file: string, message: string): ModelLoadError {
  return new ModelLoadError(`${file} ${message}`, { file, reason: 'size-mismatch' });
}

function concat(parts: Uint8Array[]): ArrayBuffer {
  const total = parts.reduce((sum, part) => sum + part.byteLength, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out.buffer;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
