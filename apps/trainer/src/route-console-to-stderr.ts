import { format } from 'node:util';

/**
 * Sends what `console.log`, `console.info` and `console.debug` print to stderr instead of stdout,
 * for `--json`: stdout then carries the trainer's events alone, and a line a library prints (tfjs
 * logs with `console.log` in places) cannot break a reader that parses every line.
 */
export function routeConsoleToStderr(): void {
  const toStderr = (...args: unknown[]) => {
    process.stderr.write(`${format(...args)}\n`);
  };
  console.log = toStderr;
  console.info = toStderr;
  console.debug = toStderr;
}
