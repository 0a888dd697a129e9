import type { CommandName } from './commands.js';
import { stripLeadingSeparator } from './parse-cli-args.js';

/**
 * The one argument dispatch of the CLI: the first word of `argv` (user arguments, possibly after
 * pnpm's leading `--`) selects the subcommand, and the arguments after it are the subcommand's.
 * No word, or a flag first, means `train`; any other word is left to the trainer, which refuses it
 * as an unknown command (status 2).
 */
export function selectCommand(argv: readonly string[]): { command: CommandName; args: string[] } {
  const args = stripLeadingSeparator(argv);
  const [first, ...rest] = args;
  if (first === 'sweep' || first === 'train') return { command: first, args: rest };
  return { command: 'train', args };
}
