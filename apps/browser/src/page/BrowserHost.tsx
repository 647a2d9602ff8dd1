/**
 * The frame of the browser app: the shared clinic UI (the desktop's `App`,
 * unchanged) once this tab reaches the store, the fail-closed notice when it
 * cannot, the storage line, and the notice that a new version is ready.
 */
import { App } from '@clinicsync/desktop/src/ui/components/App.tsx';
import { FeedProvider } from '@clinicsync/desktop/src/ui/hooks/useFeed.tsx';
import { useEffect, useState } from 'react';
import type { HostState } from '../shared/messages.ts';
import type { AppUpdates } from './app-updates.ts';
import { CheckWhenTooOld } from './CheckWhenTooOld.tsx';
import type { EngineConnection } from './engine-connection.ts';
import { StorageBar } from './StorageBar.tsx';
import { StorageFailure } from './StorageFailure.tsx';
import { UpdateNotice } from './UpdateNotice.tsx';

export function BrowserHost({ engine, updates }: { engine: EngineConnection; updates: AppUpdates }) {
  const [state, setState] = useState<HostState>(engine.state());
  useEffect(() => engine.onState(setState), [engine]);
  const reload = () => window.location.reload();
  if (state.kind === 'failed')
    return (
      <>
        <UpdateNotice updates={updates} reload={reload} />
        <StorageFailure reason={state.reason} />
      </>
    );
  return (
    <>
      <UpdateNotice updates={updates} reload={reload} />
      <FeedProvider>
        <App />
        <StorageBar />
        <CheckWhenTooOld updates={updates} />
      </FeedProvider>
    </>
  );
}
