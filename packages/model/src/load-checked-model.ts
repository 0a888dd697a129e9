import { io, type NamedTensorMap, tidy } from '@tensorflow/tfjs-core';
import { type LayersModel, loadLayersModel } from '@tensorflow/tfjs-layers';
import { ModelLoadError } from './model-load-error.js';
import { storedBytes } from './read-model-artifacts.js';

/**
 * Loads a layers model from `handler`, checking the weights against the topology before any
 * weight tensor is made: every weight the model needs is in the manifest, no extra one is, and
 * shapes and dtypes agree. Unlike a bare `tf.loadLayersModel`, a failure leaves no tensor behind
 * and says which weight and file are at fault. Optimizer weights in the manifest are ignored.
 *
 * @param modelJsonLocation path or URL of `model.json`, named in errors.
 * @throws ModelLoadError
 */
export async function loadCheckedModel(
  handler: io.IOHandler,
  modelJsonLocation: string,
): Promise<LayersModel> {
  const file = modelJsonLocation;
  let artifacts: io.ModelArtifacts;
  try {
    if (handler.load === undefined) throw new Error('the IO handler cannot load');
    artifacts = await handler.load();
  } catch (error) {
    if (error instanceof ModelLoadError) throw error;
    throw new ModelLoadError(`${file}: cannot read the model (${(error as Error).message})`, {
      file,
      reason: 'read-failed',
      cause: error,
    });
  }
  const { weightSpecs = [], weightData, ...rest } = artifacts;
  const mismatch = (message: string) =>
    new ModelLoadError(`${file}: ${message}`, { file, reason: 'weights-mismatch' });
  const dataBytes = weightData === undefined ? 0 : totalBytes(weightData);
  const declared = weightSpecs.reduce((sum, spec) => sum + storedBytes(spec), 0);
  if (dataBytes !== declared) {
    throw new ModelLoadError(
      `${file}: weights hold ${dataBytes} bytes but the manifest declares ${declared}`,
      {
        file,
        reason: 'size-mismatch',
      },
    );
  }

  // Build from the topology alone (its initializers make small throwaway weights), so the manifest
  // can be compared with what the model needs before anything is decoded.
  let model: LayersModel;
  try {
    model = await loadLayersModel({ load: async () => rest });
  } catch (error) {
    throw new ModelLoadError(
      `${file}: cannot build a model from "modelTopology" (${(error as Error).message})`,
      {
        file,
        reason: 'invalid-topology',
        cause: error,
      },
    );
  }
  try {
    const specs = new Map<string, io.WeightsManifestEntry>();
    for (const spec of weightSpecs) {
      if (spec.group === 'optimizer') continue;
      if (specs.has(spec.name)) throw mismatch(`weightsManifest lists weight "${spec.name}" twice`);
      specs.set(spec.name, spec);
    }
    const needed = new Set<string>();
    for (const weight of model.weights) {
      const name = weight.originalName;
      needed.add(name);
      const spec = specs.get(name);
      if (spec === undefined) throw mismatch(`weightsManifest lacks weight "${name}" that the model needs`);
      if (spec.shape.length !== weight.shape.length || spec.shape.some((d, i) => d !== weight.shape[i])) {
        throw mismatch(
          `weight "${name}" has shape [${spec.shape.join(',')}] in weightsManifest but the topology needs [${weight.shape.join(',')}]`,
        );
      }
      if (spec.dtype !== weight.dtype) {
        throw mismatch(
          `weight "${name}" has dtype ${spec.dtype} in weightsManifest but the topology needs ${weight.dtype}`,
        );
      }
    }
    for (const name of specs.keys()) {
      if (!needed.has(name))
        throw mismatch(`weightsManifest lists weight "${name}" that the model does not have`);
    }
    if (weightData !== undefined) {
      tidy(() => {
        const decoded: NamedTensorMap = {};
        const all = io.decodeWeights(weightData, weightSpecs);
        for (const name of specs.keys()) decoded[name] = all[name]!;
        model.loadWeights(decoded, true);
      });
    }
  } catch (error) {
    model.dispose();
    if (error instanceof ModelLoadError) throw error;
    throw new ModelLoadError(`${file}: cannot set the weights (${(error as Error).message})`, {
      file,
      reason: 'weights-mismatch',
      cause: error,
    });
  }
  return model;
}

function totalBytes(data: io.WeightData): number {
  return Array.isArray(data) ? data.reduce((sum, part) => sum + part.byteLength, 0) : data.byteLength;
}
