/**
 * A counter the UI watches by long-polling: it moves whenever something the
 * UI shows may have changed (a local write, a pull, a status change, the
 * session). The UI waits for a number past the one it has, then refetches.
 */
export type ChangeFeed = {
  /** The current position. */
  position(): number;
  /** Something changed: move on and wake the waiters. */
  bump(): void;
  /** Resolves with the position once it is past `after`, or after `timeoutMs`, or when `signal` aborts. */
  waitPast(after: number, timeoutMs: number, signal?: AbortSignal): Promise<number>;
};

/**
 * Creates an empty feed at `start`. The browser host starts each new leader's
 * feed at the clock, so a tab still waiting past the old leader's position is
 * answered at once instead of after a long-poll timeout.
 */
export function createChangeFeed(start = 1): ChangeFeed {
  let position = start;
  const waiters = new Set<() => void>();
  return {
    position: () => position,
    bump: () => {
      position += 1;
      for (const wake of [...waiters]) wake();
    },
    waitPast: (after, timeoutMs, signal) =>
      new Promise((resolve) => {
        if (position > after || signal?.aborted) return resolve(position);
        const done = () => {
          clearTimeout(timer);
          waiters.delete(done);
          signal?.removeEventListener('abort', done);
          resolve(position);
        };
        const timer = setTimeout(done, timeoutMs);
        waiters.add(done);
        signal?.addEventListener('abort', done);
      }),
  };
}
