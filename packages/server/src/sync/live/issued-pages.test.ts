import { describe, expect, it } from 'vitest';
import { createIssuedPages, issuedPageKey } from './issued-pages.ts';

describe('issued pages', () => {
  it('hands a page out once, and forgets the oldest beyond its capacity', () => {
    const pages = createIssuedPages(2);
    pages.remember('a', { mark: 1, organizationIds: ['o'], positions: [] });
    pages.remember('b', { mark: 2, organizationIds: ['o'], positions: [] });
    pages.remember('c', { mark: 3, organizationIds: ['o'], positions: [] });
    expect(pages.size()).toBe(2);
    expect(pages.take('a')).toBeUndefined();
    expect(pages.take('b')).toEqual({ mark: 2, organizationIds: ['o'], positions: [] });
    expect(pages.take('b')).toBeUndefined();
  });

  it('keys pages by person, device, shape and cursor, so nobody else can use one', () => {
    const base = { userId: 'u', deviceId: 'd', schemaVersion: 3, limit: 1000, cursor: 'c' };
    const keys = new Set(
      [
        base,
        { ...base, userId: 'v' },
        { ...base, deviceId: 'e' },
        { ...base, schemaVersion: 2 },
        { ...base, limit: 10 },
        { ...base, cursor: 'x' },
      ].map(issuedPageKey),
    );
    expect(keys.size).toBe(6);
  });
});
