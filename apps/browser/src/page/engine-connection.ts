/**
 * The page's end of its engine worker: a `LocalTransport` for the shared UI's
 * client (the same `/api/…` requests the desktop serves over HTTP) and the
 * host state (leader, follower, failed) for the page frame.
 */
import type { LocalTransport } from '@clinicsync/desktop/src/ui/api/local-client.ts';
import type { ApiAnswer, HostState, PageToWorker, WorkerToPage } from '../shared/messages.ts';

export type EngineConnection = {
  readonly transport: LocalTransport;
  state(): HostState;
  /** Calls `listener` on every state change; returns the unsubscribe function. */
  onState(listener: (state: HostState) => void): () => void;
  notifyOnline(): void;
};

/** Starts this tab's engine worker. */
export function connectEngine(worker: Worker): EngineConnection {
  let state: HostState = { kind: 'starting' };
  const listeners = new Set<(state: HostState) => void>();
  const waiting = new Map<number, { resolve: (answer: ApiAnswer) => void; reject: (error: unknown) => void }>();
  let nextId = 1;
  const send = (message: PageToWorker) => worker.postMessage(message);

  worker.addEventListener('message', (event: MessageEvent<WorkerToPage>) => {
    const message = event.data;
    if (message.type === 'answer') {
      waiting.get(message.id)?.resolve(message.answer);
      waiting.delete(message.id);
    } else if (message.type === 'state') {
      state = message.state;
      for (const listener of [...listeners]) listener(state);
    }
  });
  worker.addEventListener('error', (event) => {
    // Before its first word the worker script failed to load or start: fail closed, as for storage.
    // Later errors are bugs in one handler; the worker keeps serving, so they are only reported.
    if (state.kind !== 'starting') return;
    event.preventDefault();
    state = { kind: 'failed', reason: 'the app could not start its storage worker' };
    for (const listener of [...listeners]) listener(state);
    for (const pending of waiting.values()) pending.reject(new Error('engine worker failed'));
    waiting.clear();
  });

  const transport: LocalTransport = ({ method, path, body, signal }) =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const id = nextId++;
      waiting.set(id, { resolve, reject });
      signal?.addEventListener('abort', () => {
        if (!waiting.delete(id)) return;
        send({ type: 'abort', id });
        reject(signal.reason);
      });
      send({ type: 'request', id, request: { method, path, ...(body !== undefined ? { body } : {}) } });
    });

  return {
    transport,
    state: () => state,
    onState(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    notifyOnline: () => send({ type: 'online' }),
  };
}
