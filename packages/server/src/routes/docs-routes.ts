import { Hono } from 'hono';
import type { AppEnv } from '../app-env.ts';
import type { ServerDeps } from '../server-deps.ts';

/** `GET /v1/openapi.json` and the reference page at `/docs`. */
export function createDocsRoutes(_deps: ServerDeps): Hono<AppEnv> {
  return new Hono<AppEnv>();
}
