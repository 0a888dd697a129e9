/** Which tfjs backend an app asks for; `auto` takes tfjs-node if it loads, else WASM, else cpu. */
export type BackendChoice = 'auto' | 'node' | 'wasm' | 'cpu';

/** The tfjs backend that actually runs (`tensorflow` is tfjs-node's name for itself). */
export type BackendName = 'tensorflow' | 'wasm' | 'cpu';
