import { Hono } from 'hono';
import type { AppEnv } from '../app-env.ts';
import type { ServerDeps } from '../server-deps.ts';

/** Organization admin routes: devices and audit trail (PROTOCOL §6). */
export function createAdminRoutes(_deps: ServerDeps): Hono<AppEnv> {
  return new Hono<AppEnv>();
}
