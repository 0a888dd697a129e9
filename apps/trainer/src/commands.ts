/** The subcommands of `mnist-train`; `train` is the default. */
export type CommandName = 'train' | 'sweep';

/** What each subcommand does, in one line for `mnist-train --help`. */
export const COMMANDS: Readonly<Record<CommandName, string>> = {
  train: '(the default) train one model, evaluate it on the test images, write it and a report',
  sweep: 'search hyperparameters with short trials in parallel; mnist-train sweep --help lists its flags',
};
