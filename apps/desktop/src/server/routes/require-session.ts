import { ApiError, type User } from '@clinicsync/protocol';
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { DeviceSync } from '../../worker/device-sync.ts';
import type { SyncEngine } from '@clinicsync/client';
import type { UiSession } from '../ui-session.ts';

/** Per-request values of the local API: the signed-in user and the engine of their local store. */
export type LocalEnv = { Variables: { user: User; engine: SyncEngine } };

/** Lets a request through only during an active UI session; patient data is never shown to a locked app. */
export function requireSession(session: UiSession, sync: DeviceSync) {
  return createMiddleware<LocalEnv>(async function requireUiSession(c, next) {
    const user = session.activeUser();
    if (!user) {
      const view = session.view();
      if (view.state === 'expired') throw new ApiError('token_expired', 'Your session has ended. Sign in again.');
      throw new ApiError('unauthorized', 'Sign in to continue.');
    }
    const engine = sync.engineFor(user.id);
    if (!engine) throw new ApiError('unavailable', 'The local store is still opening. Try again in a moment.');
    c.set('user', user);
    c.set('engine', engine);
    await next();
  });
}

/** Reads a JSON body and checks it with `schema`; failures are `400 invalid_request` with `{path, code}` issues only. */
export async function readBody<T>(
  c: Context,
  schema: {
    safeParse(
      input: unknown,
    ):
      | { success: true; data: T }
      | { success: false; error: { issues: readonly { path: readonly PropertyKey[]; code: string }[] } };
  },
): Promise<T> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw new ApiError('invalid_request', 'The request body is not valid JSON.', {
      details: { issues: [{ path: '(root)', code: 'invalid_json' }] },
    });
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.') || '(root)', code: i.code }));
    throw new ApiError('invalid_request', 'The request is invalid.', { details: { issues } });
  }
  return parsed.data;
}
