import path from 'node:path';

/**
 * Resolves a path the user typed against the folder they typed the command in. `pnpm train` runs
 * the script inside apps/trainer, but sets `INIT_CWD` to the invoking folder, so `--out ./run1`
 * lands where the user expects; without pnpm, the process's own working folder is used.
 */
export function resolveUserPath(
  userPath: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
  cwd: string = process.cwd(),
): string {
  const base = env.INIT_CWD !== undefined && env.INIT_CWD !== '' ? env.INIT_CWD : cwd;
  return path.resolve(base, userPath);
}
