/** A record's change history from the server's audit trail (admins), page by page. */
import type { AuditEntry } from '@clinicsync/protocol';
import { useCallback, useEffect, useState } from 'react';
import { api, LocalApiError, query } from '../api/local-client.ts';

type Page = { entries: AuditEntry[]; nextCursor: string | null };

export function useRecordHistory(orgId: string, table: string, recordId: string) {
  const [state, setState] = useState<{
    entries: AuditEntry[];
    nextCursor: string | null;
    loading: boolean;
    error: LocalApiError | null;
  }>({
    entries: [],
    nextCursor: null,
    loading: true,
    error: null,
  });

  const load = useCallback(
    async (cursor: string | null) => {
      setState((s) => ({ ...s, loading: true, error: null }));
      try {
        const page = await api.get<Page>(`/api/orgs/${orgId}/audit${query({ table, recordId, cursor })}`);
        setState((s) => ({
          entries: cursor ? [...s.entries, ...page.entries] : page.entries,
          nextCursor: page.nextCursor,
          loading: false,
          error: null,
        }));
      } catch (error) {
        setState((s) => ({
          ...s,
          loading: false,
          error: error instanceof LocalApiError ? error : new LocalApiError(0, 'internal', 'Something went wrong.'),
        }));
      }
    },
    [orgId, table, recordId],
  );

  useEffect(() => {
    void load(null);
  }, [load]);

  return { ...state, loadMore: () => state.nextCursor && load(state.nextCursor), reload: () => load(null) };
}
