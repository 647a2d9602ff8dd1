/**
 * The control channel between `clinicsync-edge`'s front and the Worker
 * (index.ts): header names shared by both sides, and the requests in flight
 * in an object, so a client that hung up ends its request there.
 */

/** Module exports of a Worker entry must be handlers or classes, so these live here. */
export const CONTROL_HEADERS = {
  /** The per-launch token, sent by the front on every request it forwards (but one for a control path). */
  token: 'x-clinicsync-edge-control',
  /** The front's id for one forwarded request (kept only with the token). */
  requestId: 'x-clinicsync-edge-request',
  /** Set by the Worker entry alone, on an authenticated control request. */
  internal: 'x-clinicsync-internal',
} as const;

/** Where the front's own control requests go (index.ts); never the path of a client's request. */
export const CONTROL_PATH_PREFIX = '/__clinicsync-edge/';

export type ControlRequest = { readonly kind: 'release-waits' | 'cancel' };

/** The requests an object is answering that the front can still cancel, by the front's id. */
export class CancellableRequests {
  readonly #open = new Map<string, AbortController>();

  /** The request with a signal that also ends when `cancel(id)` is called; `done` forgets it. */
  track(request: Request): { readonly request: Request; done(): void } {
    const id = request.headers.get(CONTROL_HEADERS.requestId);
    if (!id) return { request, done: () => undefined };
    const controller = new AbortController();
    this.#open.set(id, controller);
    const headers = new Headers(request.headers);
    headers.delete(CONTROL_HEADERS.requestId);
    return {
      request: new Request(request, { headers, signal: AbortSignal.any([request.signal, controller.signal]) }),
      done: () => {
        if (this.#open.get(id) === controller) this.#open.delete(id);
      },
    };
  }

  /** Ends the request with this id, if it is still being answered. */
  cancel(id: string | null): void {
    if (!id) return;
    this.#open.get(id)?.abort();
    this.#open.delete(id);
  }
}
