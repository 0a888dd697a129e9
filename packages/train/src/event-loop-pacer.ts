/** Hands control back to the event loop now and then. Internal. */
export interface EventLoopPacer {
  /** Yields (one macrotask) when `everyMs` have passed since the last yield; else resolves at once. */
  maybeYield(): Promise<void>;
}

/**
 * On the CPU backends every tfjs call is synchronous, so a loop of steps never lets a timer or a
 * signal handler run; yielding every `everyMs` lets an abort (a timeout, a SIGINT handler) land
 * mid-epoch at the cost of one macrotask per interval. Internal.
 */
export function createEventLoopPacer(everyMs: number): EventLoopPacer {
  let last = performance.now();
  return {
    async maybeYield() {
      if (performance.now() - last < everyMs) return;
      await yieldToEventLoop();
      last = performance.now();
    },
  };
}

function yieldToEventLoop(): Promise<void> {
  // setImmediate where it exists (Node): a macrotask without the 4 ms clamp of nested setTimeout.
  const schedule = (globalThis as { setImmediate?: (callback: () => void) => unknown }).setImmediate;
  return new Promise((resolve) => (schedule ? schedule(resolve) : setTimeout(resolve, 0)));
}
