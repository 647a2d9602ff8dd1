/**
 * Entry point of the browser app (`GET /app/`): starts this tab's engine
 * worker, routes the shared UI's local API client through it, registers the
 * service worker that keeps the app available offline (and tells of new
 * builds), and asks for persistent storage.
 */
import { setLocalTransport } from '@clinicsync/desktop/src/ui/api/local-client.ts';
import '@clinicsync/desktop/src/ui/styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { registerAppWorker } from './app-updates.ts';
import { BrowserHost } from './BrowserHost.tsx';
import { connectEngine } from './engine-connection.ts';
import { requestPersistence } from './storage-estimate.ts';
import './browser-host.css';

const engine = connectEngine(
  new Worker(new URL('../worker/engine-worker.ts', import.meta.url), { type: 'module', name: 'clinicsync-engine' }),
);
setLocalTransport(engine.transport);
window.addEventListener('online', () => engine.notifyOnline());

const updates = registerAppWorker();
void requestPersistence();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <BrowserHost engine={engine} updates={updates} />
  </StrictMode>,
);
