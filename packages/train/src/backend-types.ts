// Kept apart from training-types.ts: backend selection is moving to its own package (@mnist/runtime),
// and these two types go with it.
/** Which tfjs backend to train on; `auto` takes tfjs-node if it loads, else WASM, else cpu. */
export type BackendChoice = 'auto' | 'node' | 'wasm' | 'cpu';

/** The tfjs backend that actually ran (`tensorflow` is tfjs-node's name for itself). */
export type BackendName = 'tensorflow' | 'wasm' | 'cpu';
