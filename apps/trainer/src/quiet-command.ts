import { Command, CommanderError } from 'commander';
import { CliUsageError } from './cli-usage-error.js';

/** A commander program that prints nothing itself, and the text it would have printed. */
export interface QuietCommand {
  program: Command;
  output: { text: string };
}

/**
 * Makes a commander program for pure argument parsing: help text is captured instead of printed,
 * errors are thrown instead of exiting, and unknown flags or stray arguments are errors. The trainer
 * and its `sweep` subcommand share this, so both report usage errors the same way.
 */
export function createQuietCommand(name: string, description: string): QuietCommand {
  const output = { text: '' };
  const program = new Command(name)
    .description(description)
    .helpOption('-h, --help', 'show this help and exit')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => {
        output.text += text;
      },
      // Errors are rethrown as CliUsageError and printed once by the caller.
      writeErr: () => {},
      // The text is captured and printed later, maybe to a pipe: never styled (NO_COLOR or not).
      getOutHasColors: () => false,
      getErrHasColors: () => false,
    })
    .allowExcessArguments(false)
    .showSuggestionAfterError(true);
  return { program, output };
}

/**
 * Parses `argv` (user arguments only) with a program from `createQuietCommand`. Returns the captured
 * text when `--help` or `--version` asked for it, `null` when there are options to run with; throws
 * `CliUsageError` with commander's message, after `messagePrefix`.
 */
export function parseQuietly(
  { program, output }: QuietCommand,
  argv: readonly string[],
  messagePrefix = '',
): { action: 'print'; text: string } | null {
  try {
    program.parse([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') {
        return { action: 'print', text: output.text };
      }
      throw new CliUsageError(`${messagePrefix}${error.message.replace(/^error: /, '')}`, { cause: error });
    }
    throw error;
  }
  return null;
}
