/**
 * Watches the desktop's change feed by long-polling `/api/feed` and shares the
 * latest snapshot (session, sync status, device) with the whole page. Other
 * hooks refetch when `dataVersion` moves.
 */
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import type { FeedSnapshot } from '../../shared/local-api.ts';
import { api, LocalApiError } from '../api/local-client.ts';

export type FeedState = {
  readonly snapshot: FeedSnapshot | null;
  /** Set while the desktop process does not answer. */
  readonly unreachable: boolean;
};

const FeedContext = createContext<FeedState>({ snapshot: null, unreachable: false });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs the long-poll loop for its children. */
export function FeedProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<FeedState>({ snapshot: null, unreachable: false });
  useEffect(() => {
    const abort = new AbortController();
    (async () => {
      let position = 0;
      while (!abort.signal.aborted) {
        try {
          const snapshot = await api.get<FeedSnapshot>(`/api/feed?after=${position}`, abort.signal);
          position = snapshot.position;
          setState({ snapshot, unreachable: false });
        } catch (error) {
          if (abort.signal.aborted) return;
          if (error instanceof LocalApiError && error.status === 0) setState((s) => ({ ...s, unreachable: true }));
          await sleep(1500);
        }
      }
    })();
    return () => abort.abort();
  }, []);
  return <FeedContext.Provider value={state}>{children}</FeedContext.Provider>;
}

/** The latest snapshot of the change feed. */
export function useFeed(): FeedState {
  return useContext(FeedContext);
}

/** A number that moves whenever the data shown may have changed. */
export function useDataVersion(): number {
  return useFeed().snapshot?.dataVersion ?? 0;
}
