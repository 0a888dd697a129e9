import { describe, expect, it } from 'vitest';
import { selectCommand } from './select-command.js';

describe('selectCommand', () => {
  it('takes the first word as the subcommand, after the -- that pnpm forwards', () => {
    expect(selectCommand(['sweep', '--dropout', '0.25,0.5'])).toEqual({
      command: 'sweep',
      args: ['--dropout', '0.25,0.5'],
    });
    expect(selectCommand(['--', 'sweep', '--help'])).toEqual({ command: 'sweep', args: ['--help'] });
    expect(selectCommand(['train', '--epochs', '1'])).toEqual({ command: 'train', args: ['--epochs', '1'] });
    expect(selectCommand(['--', 'train'])).toEqual({ command: 'train', args: [] });
  });

  it('trains by default: no word, or a flag first, and a later "sweep" is only a value', () => {
    expect(selectCommand([])).toEqual({ command: 'train', args: [] });
    expect(selectCommand(['--', '--epochs', '1'])).toEqual({ command: 'train', args: ['--epochs', '1'] });
    expect(selectCommand(['--out', 'sweep'])).toEqual({ command: 'train', args: ['--out', 'sweep'] });
    // An unknown word is the trainer's to refuse (see parseCliArgs).
    expect(selectCommand(['swep', '--epochs', '1'])).toEqual({
      command: 'train',
      args: ['swep', '--epochs', '1'],
    });
  });
});
