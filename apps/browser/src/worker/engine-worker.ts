/**
 * The engine worker, one per tab (docs/architecture.md, principle 7: the client in a browser
 * tab). Every tab's worker queues for one Web Lock; the holder is the leader:
 * it alone opens the OPFS store (the pool is exclusive) and runs the engine
 * and the local API. The other tabs' workers forward their page's requests
 * over a BroadcastChannel and the leader answers them, so every tab works on
 * the one store and sees the others' writes at once (the change feed).
 *
 * Hand-over: when the leader's tab closes, its lock is released and the next
 * worker in the queue becomes leader and reopens the store. Every write the
 * old leader committed is in the store (outbox included). A request still
 * waiting for an answer goes to the new leader when the old one never took
 * it, and a read is simply asked again; only a write the old leader had
 * taken but not answered is reported to its page as not known to be saved,
 * since sending it twice could record it twice.
 *
 * Fail closed: when the store cannot be opened, every tab is told and says
 * so; nothing ever runs on an in-memory database.
 */
import { errorBody, randomIds, systemClock, type ErrorCode } from '@clinicsync/protocol';
import {
  isPeerMessage,
  LEADER_LOCK,
  PEER_CHANNEL,
  type ApiAnswer,
  type ApiRequest,
  type HostState,
  type PageToWorker,
  type PeerMessage,
  type WorkerToPage,
} from '../shared/messages.ts';
import { composeBrowserApp, type BrowserApp } from './compose-browser-app.ts';
import { serverBaseOf } from '../shared/server-base.ts';
import { createRequestLedger } from './request-ledger.ts';
import { describeOpenFailure } from './open-failure.ts';
import { openStoragePool } from './storage-pool.ts';

type WorkerScope = {
  postMessage(message: WorkerToPage): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<PageToWorker>) => void): void;
  addEventListener(type: 'online', listener: () => void): void;
  location: { origin: string; href: string };
};
const scope = globalThis as unknown as WorkerScope;

const tabId = randomIds.newId();
const peers = new BroadcastChannel(PEER_CHANNEL);
let state: HostState = { kind: 'starting' };
let app: BrowserApp | null = null;
/** True from the moment this worker holds the lock. */
let leading = false;

/** This page's requests that have no answer yet. */
type Outgoing = { request: ApiRequest; acceptedBy: string | null; controller: AbortController | null };
const outgoing = new Map<number, Outgoing>();
/** Other tabs' requests the leader is working on, to abort a long-poll a tab gave up. */
const running = new Map<string, AbortController>();
/** Other tabs' requests that arrived while the store was opening. */
const waiting: Extract<PeerMessage, { type: 'request' }>[] = [];
const ledger = createRequestLedger();

const post = (message: PeerMessage) => peers.postMessage(message);
const toPage = (message: WorkerToPage) => scope.postMessage(message);

function setState(next: HostState): void {
  state = next;
  toPage({ type: 'state', state });
}

function errorAnswer(status: number, code: ErrorCode, message: string): ApiAnswer {
  return { status, text: JSON.stringify(errorBody(code, message)) };
}

function failedAnswer(reason: string): ApiAnswer {
  return errorAnswer(
    503,
    'unavailable',
    `ClinicSync cannot open its storage in this browser (${reason}). Nothing can be saved, so the app does not run.`,
  );
}

/** Runs one request against the local API of this (leading) worker. */
async function serve(request: ApiRequest, signal: AbortSignal): Promise<ApiAnswer> {
  if (!app) return errorAnswer(503, 'unavailable', 'The local store is still opening. Try again in a moment.');
  // Only the local API is served; a message from elsewhere in the origin gets no further.
  if (typeof request.path !== 'string' || !request.path.startsWith('/api/') || typeof request.method !== 'string')
    return errorAnswer(404, 'not_found', 'There is no such route.');
  try {
    const response = await app.handle(
      new Request(`${scope.location.origin}${request.path}`, {
        method: request.method,
        signal,
        ...(request.body !== undefined ? { body: request.body, headers: { 'content-type': 'application/json' } } : {}),
      }),
    );
    return { status: response.status, text: await response.text() };
  } catch {
    // Only an aborted long-poll lands here; its page no longer waits.
    return errorAnswer(500, 'internal', 'Something went wrong in the app. Try again.');
  }
}

function answerPage(id: number, answer: ApiAnswer): void {
  if (!outgoing.delete(id)) return;
  toPage({ type: 'answer', id, answer });
}

/** Sends this page's request where it can be answered now: here, the leader, or (while opening) nowhere yet. */
function dispatch(id: number): void {
  const entry = outgoing.get(id);
  if (!entry) return;
  if (state.kind === 'failed') {
    answerPage(id, failedAnswer(state.reason));
    return;
  }
  if (leading) {
    if (!app || entry.controller) return;
    entry.controller = new AbortController();
    void serve(entry.request, entry.controller.signal).then((answer) => answerPage(id, answer));
    return;
  }
  post({ type: 'request', from: tabId, id, request: entry.request });
}

/**
 * A (new) leader is there: what it has not taken goes to it, reads are asked
 * again, and a write the previous leader took but never answered is reported
 * as unknown rather than sent twice.
 */
function redirect(leader: string): void {
  for (const [id, entry] of outgoing) {
    if (entry.acceptedBy === leader || entry.controller) continue;
    if (entry.acceptedBy === null || entry.request.method === 'GET') {
      entry.acceptedBy = null;
      dispatch(id);
    } else {
      answerPage(
        id,
        errorAnswer(
          503,
          'unavailable',
          'The tab that held the store closed while saving this change. Check whether it was saved before entering it again.',
        ),
      );
    }
  }
}

function servePeer(message: Extract<PeerMessage, { type: 'request' }>): void {
  const key = `${message.from}:${message.id}`;
  // A tab re-sends what it does not know to be taken; take each request once.
  if (!ledger.firstTime(key)) return;
  post({ type: 'accepted', to: message.from, id: message.id, leader: tabId });
  const controller = new AbortController();
  running.set(key, controller);
  void serve(message.request, controller.signal).then((answer) => {
    running.delete(key);
    post({ type: 'answer', to: message.from, id: message.id, answer });
  });
}

peers.onmessage = (event: MessageEvent<unknown>) => {
  const message = event.data;
  if (!isPeerMessage(message)) return;
  switch (message.type) {
    case 'request':
      if (!leading) return;
      if (state.kind === 'failed')
        return post({ type: 'answer', to: message.from, id: message.id, answer: failedAnswer(state.reason) });
      if (!app) return void waiting.push(message);
      return servePeer(message);
    case 'abort':
      running.get(`${message.from}:${message.id}`)?.abort();
      return;
    case 'accepted': {
      const entry = message.to === tabId ? outgoing.get(message.id) : undefined;
      if (entry) entry.acceptedBy = message.leader;
      return;
    }
    case 'answer':
      if (message.to === tabId) answerPage(message.id, message.answer);
      return;
    case 'leader':
      if (message.leader === tabId || leading) return;
      if (state.kind !== 'follower') setState({ kind: 'follower' });
      redirect(message.leader);
      return;
    case 'failed':
      if (leading) return;
      setState({ kind: 'failed', reason: message.reason });
      for (const id of [...outgoing.keys()]) dispatch(id);
      return;
    case 'hello':
      if (!leading) return;
      if (state.kind === 'failed') post({ type: 'failed', leader: tabId, reason: state.reason });
      else if (app) post({ type: 'leader', leader: tabId });
      return;
  }
};

scope.addEventListener('message', (event) => {
  const message = event.data;
  switch (message.type) {
    case 'request':
      outgoing.set(message.id, { request: message.request, acceptedBy: null, controller: null });
      return dispatch(message.id);
    case 'abort': {
      const entry = outgoing.get(message.id);
      if (!entry) return;
      outgoing.delete(message.id);
      if (entry.controller) entry.controller.abort();
      else post({ type: 'abort', from: tabId, id: message.id });
      return;
    }
    case 'online':
      app?.notifyOnline();
      return;
  }
});
scope.addEventListener('online', () => app?.notifyOnline());

async function lead(): Promise<void> {
  leading = true;
  setState({ kind: 'starting' });
  try {
    const pool = await openStoragePool();
    app = await composeBrowserApp({
      pool,
      // The server this app came from, under the path a proxy may give it (the API sits beside `/app/`).
      serverUrl: serverBaseOf(scope.location.href),
      deviceName: 'ClinicSync in a browser',
      clock: systemClock,
      ids: randomIds,
      fetch: (input, init) => globalThis.fetch(input, init),
      // Each pull page is one transaction in OPFS, where a commit costs far more than on a disk file: fewer, larger pages.
      pullLimit: 5000,
      log: (line) => console.warn(`[clinicsync] ${line}`),
    });
    setState({ kind: 'leader', sqliteVersion: pool.sqliteVersion });
  } catch (error) {
    const reason = describeOpenFailure(error);
    console.warn(`[clinicsync] the store did not open: ${(error as Error)?.name ?? 'unknown'}`);
    setState({ kind: 'failed', reason });
    post({ type: 'failed', leader: tabId, reason });
    for (const message of waiting.splice(0))
      post({ type: 'answer', to: message.from, id: message.id, answer: failedAnswer(reason) });
    for (const id of [...outgoing.keys()]) dispatch(id);
    return;
  }
  post({ type: 'leader', leader: tabId });
  redirect(tabId);
  for (const message of waiting.splice(0)) servePeer(message);
}

// Hold the lock for the life of this worker: it is released when the tab goes away.
void navigator.locks.request(LEADER_LOCK, () => lead().then(() => new Promise<never>(() => {})));
void navigator.locks.query().then((locks) => {
  if (!leading && locks.held?.some((lock) => lock.name === LEADER_LOCK)) setState({ kind: 'follower' });
});
post({ type: 'hello', from: tabId });
