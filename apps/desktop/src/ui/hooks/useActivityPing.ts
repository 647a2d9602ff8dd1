/**
 * Tells the desktop someone is working (a key or a click), at most once a
 * minute, so the session is refreshed while in use and ends when the
 * computer is left alone.
 */
import { useEffect } from 'react';
import { api } from '../api/local-client.ts';
import { now } from '../clock.ts';

const EVERY_MS = 60_000;

export function useActivityPing(active: boolean): void {
  useEffect(() => {
    if (!active) return;
    let last = 0;
    const ping = () => {
      const at = now().getTime();
      if (at - last < EVERY_MS) return;
      last = at;
      api.post('/api/session/activity').catch(() => {
        // The feed shows an unreachable desktop; nothing to add here.
      });
    };
    window.addEventListener('keydown', ping);
    window.addEventListener('pointerdown', ping);
    return () => {
      window.removeEventListener('keydown', ping);
      window.removeEventListener('pointerdown', ping);
    };
  }, [active]);
}
