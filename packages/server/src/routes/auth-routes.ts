import { Hono } from 'hono';
import type { AppEnv } from '../app-env.ts';
import type { ServerDeps } from '../server-deps.ts';

/** Accounts, sessions and devices (PROTOCOL §1). */
export function createAuthRoutes(_deps: ServerDeps): Hono<AppEnv> {
  return new Hono<AppEnv>();
}
