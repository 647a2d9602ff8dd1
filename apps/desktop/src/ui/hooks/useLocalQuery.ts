/**
 * Fetches one local API path and fetches it again when the feed says data
 * changed. Keeps showing the last answer while a refetch runs, so lists do
 * not flicker during background sync.
 */
import { useCallback, useEffect, useState } from 'react';
import { api, LocalApiError } from '../api/local-client.ts';
import { useDataVersion } from './useFeed.tsx';

export type QueryState<T> = {
  readonly data: T | undefined;
  readonly error: LocalApiError | null;
  readonly loading: boolean;
  reload(): void;
};

/** `path` null means "nothing to fetch yet". */
export function useLocalQuery<T>(path: string | null): QueryState<T> {
  const version = useDataVersion();
  const [manual, setManual] = useState(0);
  const [state, setState] = useState<{
    path: string | null;
    data: T | undefined;
    error: LocalApiError | null;
    loading: boolean;
  }>({
    path,
    data: undefined,
    error: null,
    loading: path !== null,
  });

  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` and `manual` are refetch triggers, not values read inside.
  useEffect(() => {
    if (path === null) return;
    const abort = new AbortController();
    setState((s) =>
      s.path === path ? { ...s, loading: true } : { path, data: undefined, error: null, loading: true },
    );
    api.get<T>(path, abort.signal).then(
      (data) => setState({ path, data, error: null, loading: false }),
      (error: unknown) => {
        if (abort.signal.aborted) return;
        const failure =
          error instanceof LocalApiError ? error : new LocalApiError(0, 'internal', 'Something went wrong.');
        setState((s) => ({ path, data: s.path === path ? s.data : undefined, error: failure, loading: false }));
      },
    );
    return () => abort.abort();
  }, [path, version, manual]);

  const reload = useCallback(() => setManual((n) => n + 1), []);
  const current = state.path === path;
  return {
    data: current ? state.data : undefined,
    error: current ? state.error : null,
    loading: current ? state.loading : path !== null,
    reload,
  };
}
