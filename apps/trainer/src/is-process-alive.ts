/**
 * Whether a process with id `pid` exists on this machine: signal 0 checks without sending
 * anything. `ESRCH` means it is gone; `EPERM` means it exists but belongs to another user, so it
 * counts as alive. Used to tell what a killed run left behind from what a live one is using.
 */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
