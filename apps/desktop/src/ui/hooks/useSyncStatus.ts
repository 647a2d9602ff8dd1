/** The sync status snapshot and "sync now". */
import { useCallback } from 'react';
import { api } from '../api/local-client.ts';
import { useFeed } from './useFeed.tsx';

export function useSyncStatus() {
  const { snapshot, unreachable } = useFeed();
  const syncNow = useCallback(() => api.post('/api/sync/now').then(() => undefined), []);
  return { status: snapshot?.sync ?? null, unreachable, syncNow };
}
