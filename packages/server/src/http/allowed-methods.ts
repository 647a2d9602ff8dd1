/**
 * Which methods a path is served with, read from the app's own router, so a
 * request with another method on a known path is `405 method_not_allowed` with
 * `Allow` rather than `404` (RFC 9110 §15.5.6; docs/protocol-clarifications.md).
 * Only handlers registered for one method count: middleware and catch-alls
 * (registered for every method) say nothing about what a path serves.
 */
import type { Hono } from 'hono';
import type { AppEnv } from '../app-env.ts';

const ROUTED_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** The methods `path` is served with, `HEAD` included wherever `GET` is (Hono answers HEAD from the GET handler); empty for an unknown path. */
export function allowedMethods(app: Hono<AppEnv>, path: string): string[] {
  const allowed: string[] = [];
  for (const method of ROUTED_METHODS) {
    const [matches] = app.router.match(method, path);
    if (matches.some(([[, route]]) => route.method === method)) allowed.push(method);
  }
  return allowed.includes('GET') ? ['GET', 'HEAD', ...allowed.filter((m) => m !== 'GET')] : allowed;
}
