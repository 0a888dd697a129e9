import { afterAll, beforeAll, beforeEach, describe, it } from 'vitest';
import { convCases, expectConvGradientMatchesCpu, expectNchwGradientMatchesCpu } from './conv-cases.js';
import { setKernelBuild } from './simd-kernels.js';
import { kernelBuilds, prepareBackends, useBuild } from './test-support.js';

beforeAll(prepareBackends);
afterAll(() => setKernelBuild('auto'));

describe.each(kernelBuilds)('conv2DBackpropFilterConfig, %s build', (build) => {
  beforeEach(() => useBuild(build));

  it.each(convCases)('matches cpu for x $x, filter $filter, strides $strides, pad $pad', (c) =>
    expectConvGradientMatchesCpu(c, 'filter', [1, 2, 3]),
  );

  it('falls back to a correct direct loop for NCHW', () =>
    expectNchwGradientMatchesCpu('Conv2DBackpropFilter', [
      { name: 'x', seed: 4 },
      { name: 'dy', seed: 5 },
    ]));
});
