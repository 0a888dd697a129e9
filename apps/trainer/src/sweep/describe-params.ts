import { SWEEP_PARAMS } from './sweep-params.js';
import type { ParamValue, TrialParams } from './sweep-types.js';

/** A parameter value as printed: per-layer filter lists joined with commas. */
export function formatParamValue(value: ParamValue): string {
  return Array.isArray(value) ? value.join(',') : String(value);
}

/** A trial's parameters as one short label, `convLayers=3 kernelSize=5 dropout=0.25`, in canonical order. */
export function describeParams(params: TrialParams): string {
  return SWEEP_PARAMS.flatMap(({ name }) => {
    const value = params[name];
    return value === undefined ? [] : [`${name}=${formatParamValue(value)}`];
  }).join(' ');
}
