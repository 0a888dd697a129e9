/**
 * The `--threads` every trial of a sweep gets: what the user set with the sweep's `--threads`,
 * else 1 when more than one trial runs at a time (parallel trial processes already fill the cores;
 * gradient threads on top would only fight over them), else `auto`.
 */
export function trialThreads(parallel: number, requested?: number | 'auto'): number | 'auto' {
  if (requested !== undefined) return requested;
  return parallel > 1 ? 1 : 'auto';
}
