/** The conflict inbox and the refused changes, with their actions. */
import { useCallback } from 'react';
import type { ConflictView, DeadLetterView, ResolveConflictBody } from '../../shared/local-api.ts';
import { api } from '../api/local-client.ts';
import { useLocalQuery } from './useLocalQuery.ts';

export function useConflicts() {
  const query = useLocalQuery<ConflictView[]>('/api/sync/conflicts');
  const resolve = useCallback((id: string, body: ResolveConflictBody) => api.post(`/api/sync/conflicts/${encodeURIComponent(id)}/resolve`, body), []);
  return { ...query, resolve };
}

export function useDeadLetters() {
  const query = useLocalQuery<DeadLetterView[]>('/api/sync/dead-letters');
  const discard = useCallback((id: string) => api.post(`/api/sync/dead-letters/${encodeURIComponent(id)}/discard`), []);
  return { ...query, discard };
}
