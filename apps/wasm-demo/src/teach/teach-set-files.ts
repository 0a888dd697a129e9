/**
 * Where the build puts the teach view's MNIST sets (gallery format, `src/gallery-format.ts`),
 * relative to the page: made by the `teach-set-files` plugin of `vite.config.ts`.
 */
export const TEACH_SET_FILES = {
  replay: 'teach/replay.bin',
  heldBack: 'teach/held-back.bin',
} as const;
