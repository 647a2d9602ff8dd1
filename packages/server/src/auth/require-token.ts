/**
 * The two token gates (PROTOCOL §1). Sync routes accept only sync tokens and
 * every other authenticated route only auth tokens; the other kind is refused
 * with `403 wrong_token_kind` so a client bug is told apart from a bad token.
 *
 * Missing or unrecognised → 401 `unauthorized`; an expired auth token → 401
 * `token_expired`; a signed-out session or revoked device → 401 `token_revoked`.
 */
import { ApiError } from '@clinicsync/protocol';
import type { Context, MiddlewareHandler } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../app-env.ts';
import type { ServerDeps } from '../server-deps.ts';
import { verifyAuthToken } from './auth-token.ts';
import { findSyncTokenOwner } from './devices.ts';
import { sessionState } from './sessions.ts';

type TokenDeps = Pick<ServerDeps, 'db' | 'clock' | 'secrets' | 'hashing'>;

// Far longer than any token we issue; longer values are refused before any work.
const MAX_TOKEN_LENGTH = 4096;

/** The token of an `Authorization: Bearer <token>` header, or a 401 when there is none. */
export function bearerToken(c: Context): string {
  const header = c.req.header('authorization');
  const match = header ? /^Bearer +([\x21-\x7e]+) *$/i.exec(header) : null;
  if (!match || match[1]!.length > MAX_TOKEN_LENGTH) throw unauthorized();
  return match[1]!;
}

/** Admits a valid auth token of a live session and sets `authActor`. */
export function requireAuthToken(deps: TokenDeps): MiddlewareHandler<AppEnv> {
  return createMiddleware<AppEnv>(async function requireAuthToken(c, next) {
    const token = bearerToken(c);
    const check = await verifyAuthToken(deps, token);
    switch (check.kind) {
      case 'valid': {
        const session = await sessionState(deps.db, check.sessionId);
        if (session.kind === 'revoked') throw new ApiError('token_revoked', 'This session has ended. Sign in again.');
        if (session.kind === 'unknown' || session.userId !== check.userId) throw unauthorized();
        c.set('authActor', { kind: 'auth', userId: check.userId, sessionId: check.sessionId });
        await next();
        return;
      }
      case 'expired':
        throw new ApiError('token_expired', 'The auth token has expired. Refresh it or sign in again.');
      case 'invalid':
        if ((await findSyncTokenOwner(deps, token)).kind !== 'unknown')
          throw wrongKind('a sync token', 'an auth token');
        throw unauthorized();
    }
  });
}

/** Admits a sync token of a device that is not revoked and sets `syncActor`; the route checks the request's deviceId against it. */
export function requireSyncToken(deps: TokenDeps): MiddlewareHandler<AppEnv> {
  return createMiddleware<AppEnv>(async function requireSyncToken(c, next) {
    const token = bearerToken(c);
    const owner = await findSyncTokenOwner(deps, token);
    switch (owner.kind) {
      case 'active':
        c.set('syncActor', { kind: 'sync', userId: owner.userId, deviceId: owner.deviceId });
        await next();
        return;
      case 'revoked':
        throw syncTokenRevoked();
      case 'unknown':
        // An auth token we signed (even an expired one) is the wrong kind, not a bad token.
        if ((await verifyAuthToken(deps, token)).kind !== 'invalid') throw wrongKind('an auth token', 'a sync token');
        throw unauthorized();
    }
  });
}

/** 401 for a missing or unrecognised token. */
export function unauthorized(): ApiError {
  return new ApiError('unauthorized', 'A valid token is required.');
}

/** 401 for the sync token of a revoked device (also a waiting pull's recheck after a wake-up). */
export function syncTokenRevoked(): ApiError {
  return new ApiError('token_revoked', "This device's sync token has been revoked. Sign in again on this device.");
}

function wrongKind(given: string, wanted: string): ApiError {
  return new ApiError('wrong_token_kind', `This route takes ${wanted}, not ${given}.`);
}
