/**
 * A per-instance limit on how many requests of one kind run at once; the
 * rest wait in line (first come, first served). Pull pages are built in
 * memory, so capping concurrent pulls caps the memory a crowd of devices
 * doing their first sync can take. Per instance by design: each instance
 * protects its own memory, and adding instances adds capacity.
 */
export type ConcurrencyLimit = {
  /** Runs `task` once a slot is free. */
  run<T>(task: () => Promise<T>): Promise<T>;
  /** Tasks running and waiting (metrics, tests). */
  readonly running: () => number;
  readonly waiting: () => number;
};

export function createConcurrencyLimit(max: number): ConcurrencyLimit {
  let running = 0;
  const queue: (() => void)[] = [];
  const release = () => {
    const next = queue.shift();
    if (next) next();
    else running--;
  };
  return {
    async run(task) {
      if (running < max) running++;
      // The releasing task hands its slot straight to the next in line.
      else await new Promise<void>((resolve) => queue.push(resolve));
      try {
        return await task();
      } finally {
        release();
      }
    },
    running: () => running,
    waiting: () => queue.length,
  };
}
