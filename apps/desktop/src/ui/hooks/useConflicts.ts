/** The conflict inbox, unsent resolutions, refused and held-back changes, with their actions. */
import { useCallback } from 'react';
import type {
  ConflictView,
  DeadLetterView,
  HeldChangeView,
  ResolveConflictBody,
  UnsentResolutionView,
} from '../../shared/local-api.ts';
import { api } from '../api/local-client.ts';
import { useLocalQuery } from './useLocalQuery.ts';
import { useSyncStatus } from './useSyncStatus.ts';

export function useConflicts() {
  const query = useLocalQuery<ConflictView[]>('/api/sync/conflicts');
  const resolve = useCallback(
    (id: string, body: ResolveConflictBody) => api.post(`/api/sync/conflicts/${encodeURIComponent(id)}/resolve`, body),
    [],
  );
  return { ...query, resolve };
}

/** Resolutions chosen and not answered yet; asked again whenever a push ends, since that decides whether undo is still possible. */
export function useUnsentResolutions() {
  const { status } = useSyncStatus();
  const query = useLocalQuery<UnsentResolutionView[]>(
    `/api/sync/resolutions?after=${encodeURIComponent(`${status?.phase ?? ''}|${status?.lastPushAt ?? ''}|${status?.pending ?? 0}`)}`,
  );
  const undo = useCallback(
    (conflictId: string) => api.post(`/api/sync/conflicts/${encodeURIComponent(conflictId)}/undo`),
    [],
  );
  return { ...query, undo };
}

export function useDeadLetters() {
  const query = useLocalQuery<DeadLetterView[]>('/api/sync/dead-letters');
  const discard = useCallback((id: string) => api.post(`/api/sync/dead-letters/${encodeURIComponent(id)}/discard`), []);
  const resend = useCallback(
    (id: string, data: Record<string, unknown>) =>
      api.post(`/api/sync/dead-letters/${encodeURIComponent(id)}/resend`, { data }),
    [],
  );
  return { ...query, discard, resend };
}

export function useHeldChanges() {
  return useLocalQuery<HeldChangeView[]>('/api/sync/held');
}
