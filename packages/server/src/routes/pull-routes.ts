import { Hono } from 'hono';
import type { AppEnv } from '../app-env.ts';
import type { ServerDeps } from '../server-deps.ts';

/** `GET /v1/sync/pull` and `GET /v1/sync/schema` (PROTOCOL §4, §5). */
export function createPullRoutes(_deps: ServerDeps): Hono<AppEnv> {
  return new Hono<AppEnv>();
}
