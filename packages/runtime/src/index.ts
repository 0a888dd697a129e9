export { selectBackend } from './select-backend.js';
export type { SelectBackendOptions } from './select-backend.js';
export { BackendUnavailableError } from './backend-unavailable-error.js';
export type { BackendChoice, BackendName } from './backend-types.js';
