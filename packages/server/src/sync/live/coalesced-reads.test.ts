import { describe, expect, it } from 'vitest';
import { createCoalescedReads, DEFERRED } from './coalesced-reads.ts';

/** A batch reader that records its batches and answers each request by a rule; resolved when `release` is called. */
function recordingReader(answer: (request: number) => string | typeof DEFERRED = (r) => `page ${r}`) {
  const batches: number[][] = [];
  const gates: (() => void)[] = [];
  return {
    batches,
    /** Lets the oldest batch still being read finish. */
    release: () => gates.shift()?.(),
    readBatch: async (requests: readonly number[]) => {
      batches.push([...requests]);
      await new Promise<void>((resolve) => gates.push(resolve));
      return requests.map(answer);
    },
  };
}

const turn = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('coalesced reads', () => {
  it('reads the requests of one turn in one batch and gives each its own result', async () => {
    const reader = recordingReader();
    const reads = createCoalescedReads({ readBatch: reader.readBatch, maxBatch: 100 });
    const results = Promise.all([1, 2, 3].map((r) => reads.read(r)));
    await turn();
    expect(reader.batches).toEqual([[1, 2, 3]]);
    reader.release();
    expect(await results).toEqual(['page 1', 'page 2', 'page 3']);
    expect(reads.pending()).toBe(0);
  });

  it('runs one batch at a time: requests that arrive meanwhile form the next one', async () => {
    const reader = recordingReader();
    const reads = createCoalescedReads({ readBatch: reader.readBatch, maxBatch: 100 });
    const first = reads.read(1);
    await turn();
    const later = [reads.read(2), reads.read(3)];
    await turn();
    expect(reader.batches).toEqual([[1]]);
    expect(reads.pending()).toBe(3);
    reader.release();
    expect(await first).toBe('page 1');
    await turn();
    expect(reader.batches).toEqual([[1], [2, 3]]);
    reader.release();
    expect(await Promise.all(later)).toEqual(['page 2', 'page 3']);
  });

  it('holds at most maxBatch requests per batch', async () => {
    const reader = recordingReader();
    const reads = createCoalescedReads({ readBatch: reader.readBatch, maxBatch: 2 });
    const results = Promise.all([1, 2, 3, 4, 5].map((r) => reads.read(r)));
    for (let i = 0; i < 3; i++) {
      await turn();
      reader.release();
    }
    expect(await results).toHaveLength(5);
    expect(reader.batches).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('puts a deferred request first into the next batch', async () => {
    const deferredOnce = new Set([2]);
    const reader = recordingReader((r) => (deferredOnce.delete(r) ? DEFERRED : `page ${r}`));
    const reads = createCoalescedReads({ readBatch: reader.readBatch, maxBatch: 2 });
    const results = Promise.all([1, 2, 3].map((r) => reads.read(r)));
    for (let i = 0; i < 2; i++) {
      await turn();
      reader.release();
    }
    expect(await results).toEqual(['page 1', 'page 2', 'page 3']);
    expect(reader.batches).toEqual([
      [1, 2],
      [2, 3],
    ]);
  });

  it('retries each request of a failed batch alone: only the request whose own read fails gets the error', async () => {
    const batches: number[][] = [];
    const reads = createCoalescedReads<number, string>({
      maxBatch: 10,
      readBatch: async (requests) => {
        batches.push([...requests]);
        // One organization's read fails (an assertion, a statement timeout): it must not fail the devices of others.
        if (requests.includes(2)) throw new Error(`read of 2 failed`);
        return requests.map((r) => `page ${r}`);
      },
    });
    const results = [1, 2, 3].map((r) => reads.read(r).catch((e: Error) => e.message));
    expect(await Promise.all(results)).toEqual(['page 1', 'read of 2 failed', 'page 3']);
    expect(batches).toEqual([[1, 2, 3], [1], [2], [3]]);
    expect(reads.pending()).toBe(0);
  });

  it('fails each request of a batch whose every read fails, each with the error of its own read, and goes on', async () => {
    let down = true;
    let attempt = 0;
    const reads = createCoalescedReads<number, string>({
      maxBatch: 10,
      readBatch: async (requests) => {
        if (down) throw new Error(`database gone (${++attempt})`);
        return requests.map((r) => `page ${r}`);
      },
    });
    const failed = [reads.read(1), reads.read(2)].map((p) => p.catch((e: Error) => e.message));
    expect(await Promise.all(failed)).toEqual(['database gone (2)', 'database gone (3)']);
    down = false;
    expect(await reads.read(3)).toBe('page 3');
  });

  it('fails rather than spins when a batch defers every request', async () => {
    const reads = createCoalescedReads<number, string>({
      maxBatch: 10,
      readBatch: async (requests) => requests.map(() => DEFERRED),
    });
    await expect(reads.read(1)).rejects.toThrow(/deferred every request/);
    expect(reads.pending()).toBe(0);
  });
});
