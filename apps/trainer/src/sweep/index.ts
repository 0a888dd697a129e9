// The sweep command's surface, used by the CLI's dispatch in ../cli.ts.
export { runSweepCommand, SWEEP_EXIT } from './run-sweep-command.js';
export type { SweepIo } from './run-sweep-command.js';
