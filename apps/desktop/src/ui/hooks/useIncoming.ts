/**
 * Which rows of a list just arrived from a colleague (live sync, PROTOCOL §4
 * "Live"): compares each new answer of a list with the one before and marks
 * the rows that are new or have a higher version, for a few seconds, so the
 * eye finds what changed without the list jumping about. Nothing is marked
 * on a list's first load, for rows saved on this computer and not yet sent
 * (version 0), or for changes the signed-in person made themselves.
 */
import { useEffect, useRef, useState } from 'react';
import type { LocalRow } from '../../shared/local-api.ts';
import { useSession } from './useSession.ts';

export type Incoming = 'new' | 'updated';

/** How long a row stays marked. */
export const INCOMING_MARK_MS = 8_000;

/**
 * `scope` names what the list shows (organization, search, day, patient): a
 * new scope is a first load again, so switching day or search marks nothing.
 */
export function useIncoming(scope: string, rows: readonly LocalRow[] | undefined): ReadonlyMap<string, Incoming> {
  const { session } = useSession();
  const me = session && session.state !== 'signed_out' ? session.user.id : null;
  const seen = useRef<{ scope: string; versions: Map<string, number> } | null>(null);
  const timers = useRef(new Set<ReturnType<typeof setTimeout>>());
  const [marks, setMarks] = useState<ReadonlyMap<string, Incoming>>(() => new Map());

  useEffect(() => {
    if (!rows) return;
    const previous = seen.current?.scope === scope ? seen.current.versions : null;
    seen.current = { scope, versions: new Map(rows.map((r) => [r.id, Number(r.version)])) };
    if (!previous) {
      setMarks((m) => (m.size === 0 ? m : new Map()));
      return;
    }
    const fresh = new Map<string, Incoming>();
    for (const row of rows) {
      const version = Number(row.version);
      if (version === 0 || (me !== null && row.updated_by === me)) continue;
      const before = previous.get(row.id);
      if (before === undefined) fresh.set(row.id, version <= 1 ? 'new' : 'updated');
      else if (version > before) fresh.set(row.id, 'updated');
    }
    if (fresh.size === 0) return;
    setMarks((m) => new Map([...m, ...fresh]));
    const timer = setTimeout(() => {
      timers.current.delete(timer);
      setMarks((m) => {
        const next = new Map(m);
        for (const [id, kind] of fresh) if (next.get(id) === kind) next.delete(id);
        return next;
      });
    }, INCOMING_MARK_MS);
    timers.current.add(timer);
  }, [scope, rows, me]);

  useEffect(() => {
    const pending = timers.current;
    return () => {
      for (const timer of pending) clearTimeout(timer);
      pending.clear();
    };
  }, []);

  return marks;
}
