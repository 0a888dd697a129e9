import { createStore, type UseStore } from 'idb-keyval';

let store: UseStore | undefined;

/**
 * The demo's IndexedDB key-value store (database `mnist-ts-wasm-demo`), opened on first use: a
 * visit that neither teaches nor trains never opens it.
 */
export function demoStore(): UseStore {
  store ??= createStore('mnist-ts-wasm-demo', 'teach');
  return store;
}
