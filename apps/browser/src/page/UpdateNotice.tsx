/**
 * Says that a new build of the app took over this tab (app-updates.ts) and
 * offers to reload into it. What a form holds is saved as its draft first,
 * so the reload loses nothing typed; every saved change, unsent ones
 * included, is in the store already.
 */
import { flushDrafts } from '@clinicsync/desktop/src/ui/hooks/useDraft.ts';
import { useEffect, useState } from 'react';
import type { AppUpdates } from './app-updates.ts';

export function UpdateNotice({ updates, reload }: { updates: AppUpdates; reload: () => void }) {
  const [available, setAvailable] = useState(updates.available());
  const [reloading, setReloading] = useState(false);
  useEffect(() => {
    setAvailable(updates.available());
    return updates.onUpdate(() => setAvailable(true));
  }, [updates]);
  if (!available) return null;

  const reloadNow = () => {
    setReloading(true);
    // A draft that cannot be saved (the session just ended) must not keep the person on the old build.
    void flushDrafts()
      .catch(() => undefined)
      .then(reload);
  };

  return (
    <section className="notice notice-info browser-update" role="alert" aria-label="New version">
      <p>
        <strong>A new version of ClinicSync is ready.</strong> Reload this tab, and any other ClinicSync tab, to use it.
        Everything saved in this browser stays, changes not yet sent included: they are sent after the reload. You will
        sign in again.
      </p>
      <button type="button" className="button primary" onClick={reloadNow} disabled={reloading}>
        Reload now
      </button>
    </section>
  );
}
