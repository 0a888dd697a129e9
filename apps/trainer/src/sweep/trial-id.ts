import { createHash } from 'node:crypto';
import { SWEEP_PARAMS } from './sweep-params.js';
import type { TrialParams } from './sweep-types.js';

/**
 * The stable id of a trial: the first 12 hex digits of the SHA-256 of its parameters written in
 * canonical order, so a rerun (or a grid that grew) recognizes the trials it already finished.
 * Also the name of the trial's folder under `<out>/trials/`.
 */
export function trialId(params: TrialParams): string {
  const canonical = SWEEP_PARAMS.flatMap(({ name }) =>
    params[name] === undefined ? [] : [[name, params[name]] as const],
  );
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex').slice(0, 12);
}
