import { afterAll, beforeAll, beforeEach, describe, it } from 'vitest';
import { convCases, expectConvGradientMatchesCpu, expectNchwGradientMatchesCpu } from './conv-cases.js';
import { setKernelBuild } from './simd-kernels.js';
import { kernelBuilds, prepareBackends, useBuild } from './test-support.js';

beforeAll(prepareBackends);
afterAll(() => setKernelBuild('auto'));

describe.each(kernelBuilds)('conv2DBackpropInputConfig, %s build', (build) => {
  beforeEach(() => useBuild(build));

  it.each(convCases)('matches cpu for x $x, filter $filter, strides $strides, pad $pad', (c) =>
    expectConvGradientMatchesCpu(c, 'x', [11, 12, 13]),
  );

  it('falls back to a correct direct loop for NCHW', () =>
    expectNchwGradientMatchesCpu('Conv2DBackpropInput', [
      { name: 'dy', seed: 14 },
      { name: 'filter', seed: 15 },
    ]));
});
