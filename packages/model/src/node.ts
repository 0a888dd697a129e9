export { fileSystemIO } from './file-system-io.js';
export { saveModel } from './save-model.js';
export { loadModel } from './load-model.js';
