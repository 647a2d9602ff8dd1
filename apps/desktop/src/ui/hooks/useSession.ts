/**
 * The UI session as the feed reports it, and the actions that change it.
 * Tokens never reach the page: the desktop process holds them.
 */
import { useCallback } from 'react';
import type { RegisterBody, SessionView, SignInBody } from '../../shared/local-api.ts';
import { api } from '../api/local-client.ts';
import { useFeed } from './useFeed.tsx';

export function useSession() {
  const { snapshot } = useFeed();
  const signIn = useCallback((body: SignInBody) => api.post<SessionView>('/api/session/sign-in', body), []);
  const register = useCallback((body: RegisterBody) => api.post<{ userId: string }>('/api/session/register', body), []);
  const signOut = useCallback(() => api.post<SessionView>('/api/session/sign-out'), []);
  const lock = useCallback(() => api.post<SessionView>('/api/session/lock'), []);
  const stopSyncing = useCallback(() => api.post<SessionView>('/api/session/stop-syncing'), []);
  return {
    session: snapshot?.session ?? null,
    device: snapshot?.device ?? null,
    signIn,
    register,
    signOut,
    lock,
    stopSyncing,
  };
}
