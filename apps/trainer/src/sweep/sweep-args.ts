import { stripLeadingSeparator } from '../parse-cli-args.js';

/**
 * If `argv` (user arguments, possibly after pnpm's leading `--`) asks for `sweep`, returns the
 * arguments after it; otherwise undefined, and the trainer runs as usual.
 */
export function sweepArgs(argv: readonly string[]): string[] | undefined {
  const args = stripLeadingSeparator(argv);
  return args[0] === 'sweep' ? args.slice(1) : undefined;
}
