/**
 * The messages of the browser host. A tab's page talks only to its own engine
 * worker (`PageToWorker` / `WorkerToPage`, over the worker's port); the
 * engine workers of all tabs talk over one BroadcastChannel (`PeerMessage`),
 * where the leader answers the others' local API requests.
 */

/** One local API request as the UI's client makes it. */
export type ApiRequest = { readonly method: string; readonly path: string; readonly body?: string };
export type ApiAnswer = { readonly status: number; readonly text: string };

/** Where this tab stands: opening the store, holding it, reaching another tab's, or unable to run. */
export type HostState =
  | { readonly kind: 'starting' }
  | { readonly kind: 'leader'; readonly sqliteVersion: string }
  | { readonly kind: 'follower' }
  | { readonly kind: 'failed'; readonly reason: string };

export type PageToWorker =
  | { readonly type: 'request'; readonly id: number; readonly request: ApiRequest }
  | { readonly type: 'abort'; readonly id: number }
  | { readonly type: 'online' };

export type WorkerToPage =
  | { readonly type: 'answer'; readonly id: number; readonly answer: ApiAnswer }
  | { readonly type: 'state'; readonly state: HostState };

export type PeerMessage =
  | { readonly type: 'request'; readonly from: string; readonly id: number; readonly request: ApiRequest }
  | { readonly type: 'abort'; readonly from: string; readonly id: number }
  /** The leader has the request and is working on it. */
  | { readonly type: 'accepted'; readonly to: string; readonly id: number; readonly leader: string }
  | { readonly type: 'answer'; readonly to: string; readonly id: number; readonly answer: ApiAnswer }
  /** A new leader holds the store: requests still waiting go to it. */
  | { readonly type: 'leader'; readonly leader: string }
  /** The leader could not open the store; no tab runs (fail closed). */
  | { readonly type: 'failed'; readonly leader: string; readonly reason: string }
  /** A new tab asks who leads. */
  | { readonly type: 'hello'; readonly from: string };

export const PEER_CHANNEL = 'clinicsync-engine';
/** The Web Lock whose holder owns the store. */
export const LEADER_LOCK = 'clinicsync-store-leader';

/** Type guard for messages on the peer channel (any same-origin script can post there). */
export function isPeerMessage(value: unknown): value is PeerMessage {
  if (typeof value !== 'object' || value === null) return false;
  const type = (value as { type?: unknown }).type;
  return (
    typeof type === 'string' && ['request', 'abort', 'accepted', 'answer', 'leader', 'failed', 'hello'].includes(type)
  );
}
