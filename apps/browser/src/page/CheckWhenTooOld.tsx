/**
 * When the server refuses this build as too old to sync (the `upgrade_required`
 * phase, PROTOCOL `426 schema_upgrade_required`), the server has a newer build
 * of the app: ask for it at once rather than at the next half-hourly check,
 * so the "new version is ready" notice follows within moments. Renders nothing.
 */
import { useFeed } from '@clinicsync/desktop/src/ui/hooks/useFeed.tsx';
import { useEffect } from 'react';
import type { AppUpdates } from './app-updates.ts';

export function CheckWhenTooOld({ updates }: { updates: AppUpdates }) {
  const tooOld = useFeed().snapshot?.sync.phase === 'upgrade_required';
  useEffect(() => {
    if (tooOld) updates.check();
  }, [tooOld, updates]);
  return null;
}
