/**
 * Cores this process may use, for `threads: 'auto'`; 1 off Node (a browser bundle has no
 * worker_threads either). Its own module so tests can pin the count. Internal.
 */
export async function availableCores(): Promise<number> {
  try {
    const os = await import('node:os');
    return os.availableParallelism();
  } catch {
    return 1;
  }
}
