import { Hono } from 'hono';
import type { AppEnv } from '../app-env.ts';
import type { ServerDeps } from '../server-deps.ts';

/** `POST /v1/sync/push` (PROTOCOL §3). */
export function createPushRoutes(_deps: ServerDeps): Hono<AppEnv> {
  return new Hono<AppEnv>();
}
