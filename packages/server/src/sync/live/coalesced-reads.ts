/**
 * Woken waiting pulls read together (docs/protocol.md "Live pull"): one
 * write wakes every device waiting on its organization at the same moment,
 * and each would read its own page in its own snapshot — with N devices a
 * write cost N reads, and the device a clinician watches got its answer at
 * a random place among them. Here the reads that arrive together (every
 * waiter one announcement woke, in the same turn of the event loop) wait a
 * moment and go into ONE batch; the batch reader (`readPullPages`) reads
 * them in one snapshot, sharing what does not depend on who asks.
 *
 * One batch at a time per instance: reads that arrive while a batch runs
 * form the next one, so a burst of writes costs a few batches, not a read
 * per device per write. A batch holds at most `maxBatch` requests; a
 * request the batch reader defers (its byte budget was spent) goes first
 * into the next batch. A batch that fails is read again one request at a
 * time, so a failure reaches only the requests whose own read fails.
 * Runtime-neutral (no `node:` imports).
 */

/** Returned by the batch reader for a request it leaves to the next batch. */
export const DEFERRED: unique symbol = Symbol('deferred');

export type CoalescedReads<Request, Result> = {
  /** Queues `request` for the next batch; resolves with its own result, rejects when its batch failed. */
  read(request: Request): Promise<Result>;
  /** Requests queued or being read (metrics, tests). */
  pending(): number;
};

export function createCoalescedReads<Request, Result>(options: {
  /** Reads a batch: per request (same order) its result, or `DEFERRED`. Must not defer every request. */
  readonly readBatch: (requests: readonly Request[]) => Promise<readonly (Result | typeof DEFERRED)[]>;
  readonly maxBatch: number;
  /** Runs the next batch a moment later, so that every waiter one announcement woke joins it (default: a 0 ms timer). */
  readonly later?: (run: () => void) => void;
}): CoalescedReads<Request, Result> {
  type Entry = {
    readonly request: Request;
    readonly resolve: (result: Result) => void;
    readonly reject: (error: unknown) => void;
  };
  const later = options.later ?? ((run: () => void) => void setTimeout(run, 0));
  const queue: Entry[] = [];
  let running = 0;
  let scheduled = false;

  function kick(): void {
    if (running > 0 || scheduled || queue.length === 0) return;
    scheduled = true;
    later(() => {
      scheduled = false;
      void flush();
    });
  }

  async function flush(): Promise<void> {
    const batch = queue.splice(0, Math.max(1, options.maxBatch));
    running = batch.length;
    try {
      const results = await options.readBatch(batch.map((e) => e.request));
      const again: Entry[] = [];
      for (const [i, entry] of batch.entries()) {
        const result = results[i];
        if (result === DEFERRED) again.push(entry);
        else entry.resolve(result as Result);
      }
      if (again.length === batch.length) {
        // A reader that defers everything would spin: fail those requests instead (a bug, answered as a server error).
        for (const entry of again) entry.reject(new Error('a batch read deferred every request'));
      } else queue.unshift(...again);
    } catch (error) {
      // One request's read failing (an assertion for one organization, a statement timeout) must not fail every device
      // of the batch: each is read again alone and gets only its own read's error (a lost connection still fails each).
      if (batch.length === 1) batch[0]!.reject(error);
      else await Promise.all(batch.map(readAlone));
    } finally {
      running = 0;
      kick();
    }
  }

  async function readAlone(entry: Entry): Promise<void> {
    try {
      const [result] = await options.readBatch([entry.request]);
      if (result === DEFERRED) entry.reject(new Error('a batch read deferred every request'));
      else entry.resolve(result as Result);
    } catch (error) {
      entry.reject(error);
    }
  }

  return {
    read: (request) =>
      new Promise<Result>((resolve, reject) => {
        queue.push({ request, resolve, reject });
        kick();
      }),
    pending: () => queue.length + running,
  };
}
