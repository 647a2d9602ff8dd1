/**
 * The one place the page talks to its desktop process. The browser sends the
 * launch cookie with every same-origin request (it is HttpOnly: this code
 * never sees it); this code adds the page key (shared/page-key.ts), which it
 * keeps in the origin's storage; failures come back as a `LocalApiError` with
 * the code from the shared error table.
 */
import { errorBodySchema } from '@clinicsync/protocol';
import { PAGE_KEY_HEADER, PAGE_KEY_PARAM } from '../../shared/page-key.ts';

/** A refused or failed local API call. `status` 0 means the desktop process is not answering. */
export class LocalApiError extends Error {
  override name = 'LocalApiError';
  readonly status: number;
  readonly code: string;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(status: number, code: string, message: string, details: Readonly<Record<string, unknown>> = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

/**
 * How a request reaches the local API. By default it is HTTP to the desktop
 * process; the browser host installs one that carries the same request over
 * a MessagePort to its engine worker (apps/browser). It answers the status
 * and the body text, or throws when the API cannot be reached.
 */
export type LocalTransport = (request: {
  method: string;
  path: string;
  body?: string;
  signal?: AbortSignal;
}) => Promise<{ status: number; text: string }>;

// Chosen once at start-up by the page's entry point, before anything renders.
let transport: LocalTransport | null = null;

/** Sends every later request through `next` instead of HTTP. */
export function setLocalTransport(next: LocalTransport): void {
  transport = next;
}

/** Where the page keeps the page key: per origin, so a page of another port never reads it. */
const PAGE_KEY_STORAGE = 'clinicsync-page-key';

/**
 * The page key of this launch: taken out of the address the open code
 * redirected to (so it is neither shown nor bookmarked) into the origin's
 * storage, where reloads and the app's other tabs find it. Null outside a
 * browser page or before the app was opened from its link.
 */
function pageKey(): string | null {
  if (typeof window === 'undefined' || typeof localStorage === 'undefined') return null;
  const address = new URL(window.location.href);
  const handed = address.searchParams.get(PAGE_KEY_PARAM);
  if (handed) {
    localStorage.setItem(PAGE_KEY_STORAGE, handed);
    address.searchParams.delete(PAGE_KEY_PARAM);
    window.history.replaceState(window.history.state, '', `${address.pathname}${address.search}${address.hash}`);
  }
  return localStorage.getItem(PAGE_KEY_STORAGE);
}

/** Takes the page key out of the address at once, before anything renders (the desktop page's entry point). */
export function adoptPageKey(): void {
  pageKey();
}

/** Sends one request; resolves with the parsed JSON answer. */
export async function request<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const payload = body === undefined ? undefined : JSON.stringify(body);
  let res: { ok: boolean; status: number };
  let text: string;
  try {
    if (transport) {
      const answer = await transport({ method, path, body: payload, signal });
      res = { ok: answer.status >= 200 && answer.status < 300, status: answer.status };
      text = answer.text;
    } else {
      const key = pageKey();
      if (key) headers[PAGE_KEY_HEADER] = key;
      const answer = await fetch(path, { method, headers, body: payload, signal, credentials: 'same-origin' });
      res = answer;
      text = await answer.text();
    }
  } catch (cause) {
    if (signal?.aborted) throw cause;
    throw new LocalApiError(
      0,
      'desktop_unreachable',
      'The ClinicSync desktop app is not running. Start it again and reload this page.',
    );
  }
  const parsed: unknown = text ? JSON.parse(text) : undefined;
  if (!res.ok) {
    // The local API answers the protocol's error body; anything else is a failure without a reason to show.
    const error = errorBodySchema.safeParse(parsed);
    if (!error.success) throw new LocalApiError(res.status, 'internal', 'Something went wrong.');
    throw new LocalApiError(res.status, error.data.error.code, error.data.error.message, error.data.error.details);
  }
  return parsed as T;
}

export const api = {
  get: <T>(path: string, signal?: AbortSignal) => request<T>('GET', path, undefined, signal),
  post: <T>(path: string, body: unknown = {}) => request<T>('POST', path, body),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, body),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, body),
  delete: <T>(path: string) => request<T>('DELETE', path),
};

/** Builds a query string from defined values. */
export function query(values: Readonly<Record<string, string | number | undefined | null>>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values))
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  const text = params.toString();
  return text ? `?${text}` : '';
}
