/**
 * The frame of the browser app: the shared clinic UI (the desktop's `App`,
 * unchanged) once this tab reaches the store, the fail-closed notice when it
 * cannot, and the storage line.
 */
import { App } from '@clinicsync/desktop/src/ui/components/App.tsx';
import { FeedProvider } from '@clinicsync/desktop/src/ui/hooks/useFeed.tsx';
import { useEffect, useState } from 'react';
import type { HostState } from '../shared/messages.ts';
import type { EngineConnection } from './engine-connection.ts';
import { StorageBar } from './StorageBar.tsx';
import { StorageFailure } from './StorageFailure.tsx';

export function BrowserHost({ engine }: { engine: EngineConnection }) {
  const [state, setState] = useState<HostState>(engine.state());
  useEffect(() => engine.onState(setState), [engine]);
  if (state.kind === 'failed') return <StorageFailure reason={state.reason} />;
  return (
    <>
      <FeedProvider>
        <App />
      </FeedProvider>
      <StorageBar />
    </>
  );
}
