// Node-only helpers of the mnist-ts packages (they use node:fs), apart from the main entry so that
// browser code importing `@mnist/core` never reaches them.
export { ATOMIC_TEMP_FILE_NAME, writeFileAtomic, writeFilesAtomic } from './write-file-atomic.js';
export type { AtomicFile, AtomicFileData } from './write-file-atomic.js';
