/**
 * The last pages this instance answered, so that a device asking again from
 * the cursor it was just given need not read the log again (docs/protocol.md
 * "Live pull"): when nothing was announced for its organizations (or for the
 * person) since the mark taken before that page was read, the read would
 * find the same empty page, and the waiting pull can go straight to waiting
 * from that mark. This is what keeps a write cheap with many connected
 * devices: each woken device reads once, and its next waiting pull is free.
 *
 * The entry also keeps the positions the cursor holds, so a woken pull reads
 * from them without decoding the cursor again: the key is the exact cursor
 * text this instance signed for that user and device.
 *
 * Bounded (oldest entries go first) and per instance; a cursor it does not
 * know, from another instance or evicted, is simply read as usual.
 */
import type { CursorPosition } from '../pull/cursor.ts';

export type IssuedPage = {
  /** The notifier mark taken before the read that produced the cursor. */
  readonly mark: number;
  /** The organizations the page was read for. */
  readonly organizationIds: readonly string[];
  /** The positions the cursor holds: a woken pull reads from them without verifying the cursor's signature again (this instance signed exactly that text). */
  readonly positions: readonly CursorPosition[];
};

export type IssuedPages = {
  remember(key: string, page: IssuedPage): void;
  /** The page issued under `key`, forgotten once taken (a cursor is asked for again once). */
  take(key: string): IssuedPage | undefined;
  size(): number;
};

export function createIssuedPages(capacity: number): IssuedPages {
  const pages = new Map<string, IssuedPage>();
  return {
    remember(key, page) {
      pages.delete(key);
      pages.set(key, page);
      if (pages.size > capacity) pages.delete(pages.keys().next().value!);
    },
    take(key) {
      const page = pages.get(key);
      pages.delete(key);
      return page;
    },
    size: () => pages.size,
  };
}

/** The key of a page: who asked, in which shape, and from which cursor it continues. */
export function issuedPageKey(request: {
  readonly userId: string;
  readonly deviceId: string;
  readonly schemaVersion: number;
  readonly limit: number;
  readonly cursor: string;
}): string {
  return [request.userId, request.deviceId, request.schemaVersion, request.limit, request.cursor].join('\u0000');
}
