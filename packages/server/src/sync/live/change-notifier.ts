/**
 * The wake-up port of the waiting pull (PROTOCOL §4 "Live", docs/protocol.md
 * "Live pull"): a writer announces that the change log of some organizations
 * moved, and pulls waiting on those organizations end their wait and read
 * the log again. Runtime-neutral (no `node:` imports): the Node server backs
 * it with memory or PostgreSQL LISTEN/NOTIFY, the Workers runtime with the
 * organization's Durable Object.
 *
 * A topic is an organization id, or a user id: a change to a person's
 * membership is announced on their user id too, so a device learns of an
 * organization it was just added to, which it is not yet waiting on.
 *
 * No lost wake-up: a pull takes `mark()` BEFORE it reads the log and passes
 * it to `wait`; a topic announced after the mark ends the wait at once,
 * even when the announcement arrived between the read and the wait.
 */

/** How a wait ended: something moved, the time ran out, the caller went away, or the notifier is closing. */
export type WaitOutcome = 'changed' | 'timeout' | 'aborted' | 'closed';

export type WaitOptions = {
  /** A `mark()` taken before the caller read the log. */
  readonly since: number;
  readonly timeoutMs: number;
  /** The request's signal: a client that hangs up stops costing anything at once. */
  readonly signal: AbortSignal;
};

export interface ChangeNotifier {
  /** The current position of the notifier, to pass to `wait` as `since`. */
  mark(): number;
  /** Announces, after commit, that the logs of `topics` moved; wakes waiters here and, where shared, on every instance. */
  notify(topics: readonly string[]): Promise<void>;
  /** Resolves when a topic is announced after `since`, at the timeout, on abort, or when the notifier closes. */
  wait(topics: readonly string[], options: WaitOptions): Promise<WaitOutcome>;
  /** Waits in progress (metrics, limits). */
  waiting(): number;
  /** Ends every wait with `closed` and refuses new ones at once (graceful shutdown). */
  close(): Promise<void>;
}

/** The in-process half every implementation shares: who waits on what, and what was announced when. */
export interface LocalWakeups {
  mark(): number;
  /** Wakes the waiters of `topics` (announcements from this instance or received from others). */
  deliver(topics: readonly string[]): void;
  /** Wakes every waiter: used when announcements may have been missed (a lost listening connection). */
  deliverAll(): void;
  wait(topics: readonly string[], options: WaitOptions): Promise<WaitOutcome>;
  waiting(): number;
  close(): void;
}

type Waiter = { readonly topics: readonly string[]; finish(outcome: WaitOutcome): void };

// Remembered announcement times are a map of topic → mark; past this many
// topics it is cleared and a floor is raised instead, so memory stays bounded
// and a waiter older than the floor simply wakes once more than needed.
const MAX_REMEMBERED_TOPICS = 100_000;

/** The waiter registry: one timer and one abort listener per waiting pull, nothing that runs while nobody writes. */
export function createLocalWakeups(): LocalWakeups {
  let position = 0;
  let floor = 0;
  let closed = false;
  const announced = new Map<string, number>();
  const byTopic = new Map<string, Set<Waiter>>();
  const all = new Set<Waiter>();

  function wake(topic: string): void {
    const set = byTopic.get(topic);
    if (!set) return;
    for (const waiter of [...set]) waiter.finish('changed');
  }

  return {
    mark: () => position,
    deliver(topics) {
      if (topics.length === 0) return;
      position += 1;
      if (announced.size + topics.length > MAX_REMEMBERED_TOPICS) {
        announced.clear();
        floor = position;
      }
      for (const topic of topics) announced.set(topic, position);
      for (const topic of topics) wake(topic);
    },
    deliverAll() {
      position += 1;
      announced.clear();
      floor = position;
      for (const topic of [...byTopic.keys()]) wake(topic);
    },
    wait(topics, { since, timeoutMs, signal }) {
      if (closed) return Promise.resolve('closed');
      if (signal.aborted) return Promise.resolve('aborted');
      if (since < floor || topics.some((t) => (announced.get(t) ?? 0) > since)) return Promise.resolve('changed');
      return new Promise<WaitOutcome>((resolve) => {
        let done = false;
        const waiter: Waiter = {
          topics,
          finish(outcome) {
            if (done) return;
            done = true;
            clearTimeout(timer);
            signal.removeEventListener('abort', onAbort);
            for (const topic of topics) {
              const set = byTopic.get(topic);
              set?.delete(waiter);
              if (set?.size === 0) byTopic.delete(topic);
            }
            all.delete(waiter);
            resolve(outcome);
          },
        };
        const onAbort = () => waiter.finish('aborted');
        const timer = setTimeout(() => waiter.finish('timeout'), Math.max(0, timeoutMs));
        signal.addEventListener('abort', onAbort, { once: true });
        for (const topic of topics) {
          let set = byTopic.get(topic);
          if (!set) byTopic.set(topic, (set = new Set()));
          set.add(waiter);
        }
        all.add(waiter);
      });
    },
    waiting: () => all.size,
    close() {
      closed = true;
      for (const waiter of [...all]) waiter.finish('closed');
    },
  };
}

/** The notifier of a single instance (SQLite, or tests): announcements stay in this process. */
export function createLocalNotifier(): ChangeNotifier {
  const local = createLocalWakeups();
  return {
    mark: () => local.mark(),
    notify: async (topics) => local.deliver(topics),
    wait: (topics, options) => local.wait(topics, options),
    waiting: () => local.waiting(),
    close: async () => local.close(),
  };
}
