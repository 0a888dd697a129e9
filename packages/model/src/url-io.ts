import type { io } from '@tensorflow/tfjs-core';
import { ModelLoadError } from './model-load-error.js';
import { type ModelFileSource, readModelArtifacts } from './read-model-artifacts.js';

/** Options of `urlIO` and `loadModelFromUrl`. */
export interface UrlIOOptions {
  /** The `fetch` to use; defaults to the global one. */
  fetch?: typeof fetch;
  /** Request options passed to every fetch (credentials, headers, ...). */
  requestInit?: RequestInit;
  /**
   * Where a weights path from the manifest lives, when not next to `model.json` (e.g. a bundler
   * gave each file its own hashed URL). Defaults to resolving the path against the model URL.
   */
  weightUrl?: (path: string) => string | URL;
}

/**
 * A load-only `tf.io.IOHandler` for a layers model served over HTTP(S): fetches `modelUrl` and the
 * weights files its manifest lists, with the same checks as the file-system loader (plain relative
 * weights paths only, exact byte sizes; `ModelLoadError` naming the URL at fault).
 */
export function urlIO(modelUrl: string | URL, options: UrlIOOptions = {}): io.IOHandler {
  return { load: () => readModelArtifacts(urlSource(modelUrl, options)) };
}

function urlSource(modelUrl: string | URL, options: UrlIOOptions): ModelFileSource {
  const base = new URL(modelUrl, globalThis.location?.href);
  const resolve = (path: string) => new URL(options.weightUrl?.(path) ?? path, base);
  const get = async (url: URL, maxBytes: number, isWeights: boolean): Promise<Uint8Array> => {
    const file = url.href;
    const fetchImpl = options.fetch ?? globalThis.fetch;
    let response: Response;
    try {
      response = await fetchImpl(file, options.requestInit);
    } catch (error) {
      throw new ModelLoadError(`${file} cannot be fetched (${(error as Error).message})`, {
        file,
        reason: 'read-failed',
        cause: error,
      });
    }
    if (response.status === 404 || response.status === 410) {
      throw new ModelLoadError(`${file} does not exist (HTTP ${response.status})`, {
        file,
        reason: 'missing-file',
      });
    }
    if (!response.ok) {
      throw new ModelLoadError(`${file} cannot be fetched (HTTP ${response.status})`, {
        file,
        reason: 'read-failed',
      });
    }
    const length = Number(response.headers.get('content-length') ?? Number.NaN);
    const tooLarge = (size: number) =>
      new ModelLoadError(
        `${file} is ${size} bytes, more than the ${maxBytes} bytes the model declares for it`,
        {
          file,
          reason: isWeights ? 'size-mismatch' : 'invalid-model-json',
        },
      );
    if (length > maxBytes) throw tooLarge(length);
    const data = new Uint8Array(await response.arrayBuffer());
    if (data.byteLength > maxBytes) throw tooLarge(data.byteLength);
    return data;
  };
  return {
    modelJsonLocation: base.href,
    locate: (path) => resolve(path).href,
    readModelJson: () => get(base, 32 * 1024 * 1024, false),
    readWeights: (path, maxBytes) => get(resolve(path), maxBytes, true),
  };
}
