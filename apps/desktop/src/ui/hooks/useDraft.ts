/**
 * A form's local draft (docs/conflict-resolution.md "Drafts"): values are
 * saved to the local store (`/api/drafts/:key`, never browser storage) a
 * moment after each change and when the form goes away, restored when the
 * form opens again, and discarded on save or an explicit cancel. Locking the
 * app first asks every open form to save (`flushDrafts`).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { DraftView } from '../../shared/local-api.ts';
import { api } from '../api/local-client.ts';

const FLUSH_EVENT = 'clinicsync:flush-drafts';
const SAVE_DELAY_MS = 250;

/** Saves every open form's unsaved draft now; resolves when they are stored. */
export async function flushDrafts(): Promise<void> {
  const saving: Promise<unknown>[] = [];
  window.dispatchEvent(new CustomEvent(FLUSH_EVENT, { detail: saving }));
  await Promise.all(saving);
}

export type DraftControls = {
  /** When a draft was restored into the form (its time), else null. */
  readonly restoredAt: string | null;
  save(values: Readonly<Record<string, string>>): void;
  discard(): Promise<void>;
};

/** `key` undefined: the form keeps no draft. `onRestore` receives a stored draft's values once. */
export function useDraft(
  key: string | undefined,
  onRestore: (values: Readonly<Record<string, string>>) => void,
): DraftControls {
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const unsaved = useRef<Readonly<Record<string, string>> | null>(null);
  const inflight = useRef<Promise<unknown>>(Promise.resolve());
  const restore = useRef(onRestore);
  restore.current = onRestore;
  const [restoredAt, setRestoredAt] = useState<string | null>(null);
  const path = key ? `/api/drafts/${encodeURIComponent(key)}` : null;

  const flush = useCallback((): Promise<unknown> => {
    clearTimeout(timer.current);
    const values = unsaved.current;
    if (!path || values === null) return inflight.current;
    unsaved.current = null;
    // Saves run one after another, so an older one never lands after a newer one or after a discard.
    inflight.current = inflight.current.then(() => api.put(path, { values })).catch(() => undefined);
    return inflight.current;
  }, [path]);

  useEffect(() => {
    if (!path) return;
    let cancelled = false;
    api.get<DraftView>(path).then(
      (draft) => {
        if (cancelled || unsaved.current !== null) return;
        restore.current(draft.values);
        setRestoredAt(draft.updatedAt);
      },
      () => undefined, // no draft
    );
    return () => {
      cancelled = true;
    };
  }, [path]);

  useEffect(() => {
    const onFlush = (event: Event) => (event as CustomEvent<Promise<unknown>[]>).detail.push(flush());
    window.addEventListener(FLUSH_EVENT, onFlush);
    return () => {
      window.removeEventListener(FLUSH_EVENT, onFlush);
      // Leaving the page (another screen, the app locking): what was typed is kept.
      void flush();
    };
  }, [flush]);

  const save = useCallback(
    (values: Readonly<Record<string, string>>) => {
      if (!path) return;
      unsaved.current = values;
      clearTimeout(timer.current);
      timer.current = setTimeout(() => void flush(), SAVE_DELAY_MS);
    },
    [path, flush],
  );

  const discard = useCallback(async () => {
    clearTimeout(timer.current);
    unsaved.current = null;
    setRestoredAt(null);
    if (!path) return;
    await inflight.current;
    inflight.current = api.delete(path).catch(() => undefined);
    await inflight.current;
  }, [path]);

  return { restoredAt, save, discard };
}
