// A gradient thread of a multi-worker from-scratch run: a Web Worker the scratch worker starts
// through `webWorkerThreadHost`, serving @mnist/train's gradient-thread protocol. The host's setup
// says where the WASM binaries are; `setUp` runs before the backend starts.
import { type GradientThreadPort, serveGradientThread } from '@mnist/train';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import type { GradientThreadSetup } from './scratch-protocol.js';

serveGradientThread(globalThis as unknown as GradientThreadPort, {
  setUp: (setup) => setWasmPaths((setup as GradientThreadSetup).wasmDir),
});
