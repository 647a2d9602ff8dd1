import { describe, expect, it } from 'vitest';
import { createChangeFeed } from './change-feed.ts';

describe('change feed', () => {
  it('answers at once when the caller is behind', async () => {
    const feed = createChangeFeed();
    feed.bump();
    expect(await feed.waitPast(1, 10_000)).toBe(2);
  });

  it('wakes a waiter on the next change', async () => {
    const feed = createChangeFeed();
    const waiting = feed.waitPast(feed.position(), 10_000);
    feed.bump();
    expect(await waiting).toBe(2);
  });

  it('gives up after the timeout with the unchanged position', async () => {
    const feed = createChangeFeed();
    expect(await feed.waitPast(1, 5)).toBe(1);
  });

  it('ends a wait when the request is aborted', async () => {
    const feed = createChangeFeed();
    const abort = new AbortController();
    const waiting = feed.waitPast(1, 10_000, abort.signal);
    abort.abort();
    expect(await waiting).toBe(1);
  });
});
