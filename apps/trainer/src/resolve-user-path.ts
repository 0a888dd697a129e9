import path from 'node:path';

/** The CLI's package name, as package managers report it in `npm_package_name` to its own scripts. */
export const CLI_PACKAGE_NAME = '@mnist/cli';

/**
 * Resolves a path the user typed against the folder they typed the command in.
 *
 * That is the working folder, except under a package-manager script of this package itself:
 * `pnpm train` runs `pnpm --filter @mnist/cli start` inside apps/trainer, and pnpm (like npm) sets
 * `INIT_CWD` to the folder it was invoked from, so `--out ./run1` lands there. `INIT_CWD` alone is
 * not enough to trust: any process started from inside some npm or pnpm script inherits it (a
 * `cd sub && mnist-train` script line, a shell opened from a script), and there it names the other
 * project's folder, not this command's. So it counts only when `npm_package_name` says the script
 * running is one of `@mnist/cli`'s. `npx @mnist/cli` and `npm exec` set `INIT_CWD` to the working
 * folder and `npm_package_name` to the surrounding project's, so they resolve against the working
 * folder either way.
 */
export function resolveUserPath(
  userPath: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
  cwd: string = process.cwd(),
): string {
  const initCwd = env.INIT_CWD;
  const ownScript = env.npm_package_name === CLI_PACKAGE_NAME && initCwd !== undefined && initCwd !== '';
  return path.resolve(ownScript ? initCwd : cwd, userPath);
}
