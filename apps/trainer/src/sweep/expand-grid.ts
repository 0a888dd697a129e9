import { SWEEP_PARAMS } from './sweep-params.js';
import type { ParamValue, SearchSpace, SweepParamName, TrialParams } from './sweep-types.js';

function axes(space: SearchSpace): [SweepParamName, ParamValue[]][] {
  return SWEEP_PARAMS.flatMap(({ name }) => {
    const values = space[name];
    return values === undefined ? [] : [[name, values] as [SweepParamName, ParamValue[]]];
  });
}

/** Number of points in the full grid of `space` (the product of its list lengths). */
export function gridSize(space: SearchSpace): number {
  return axes(space).reduce((size, [, values]) => size * values.length, 1);
}

/**
 * The grid point at `index` (0 <= index < gridSize): a mixed-radix decoding in which the last
 * parameter (in `SWEEP_PARAMS` order) varies fastest, so random search can pick points of a huge
 * grid without listing it.
 */
export function gridPoint(space: SearchSpace, index: number): TrialParams {
  const params: TrialParams = {};
  let rest = index;
  const list = axes(space);
  for (let i = list.length - 1; i >= 0; i--) {
    const [name, values] = list[i]!;
    params[name] = values[rest % values.length]!;
    rest = Math.floor(rest / values.length);
  }
  // Rebuild in canonical order so the key order (and so the printed label) does not depend on decoding.
  return Object.fromEntries(list.map(([name]) => [name, params[name]])) as TrialParams;
}

/**
 * Every combination of the space's values (grid search), parameters in `SWEEP_PARAMS` order with
 * the last one varying fastest: `--conv-layers 2,3 --dropout 0.25,0.5` gives (2, 0.25), (2, 0.5),
 * (3, 0.25), (3, 0.5).
 */
export function expandGrid(space: SearchSpace): TrialParams[] {
  return Array.from({ length: gridSize(space) }, (_, index) => gridPoint(space, index));
}
