/**
 * UI sessions and their rotating refresh tokens (PROTOCOL §1). A session is
 * the family of tokens born from one sign-in; every refresh spends one
 * refresh token and issues the next. Presenting a spent one means two parties
 * hold the family (theft), so the whole session is revoked.
 */
import type { Kysely } from 'kysely';
import type { ServerConfig } from '../config.ts';
import type { ServerDb } from '../db/schema.ts';
import type { Clock, Ids } from '../deps.ts';
import type { Hashing } from '../hashing.ts';
import { hashToken, newOpaqueToken } from './token-hash.ts';

type SessionDeps = { clock: Clock; ids: Ids; hashing: Hashing; config: Pick<ServerConfig, 'refreshTokenTtlSeconds'> };

export type RevokeReason = 'sign_out' | 'refresh_reuse';

/** Opens a session for a signed-in user and returns it with its first refresh token. Run inside the sign-in transaction. */
export async function startSession(
  db: Kysely<ServerDb>,
  deps: SessionDeps,
  input: { userId: string; deviceId: string | null },
): Promise<{ sessionId: string; refreshToken: string }> {
  const sessionId = deps.ids.newId();
  await db
    .insertInto('sessions')
    .values({
      id: sessionId,
      user_id: input.userId,
      device_id: input.deviceId,
      created_at: deps.clock.now().toISOString(),
      revoked_at: null,
      revoked_reason: null,
    })
    .execute();
  return { sessionId, refreshToken: await issueRefreshToken(db, deps, sessionId) };
}

/** Stores a new refresh token (hashed) for a session; it expires `refreshTokenTtlSeconds` after issue. */
export async function issueRefreshToken(db: Kysely<ServerDb>, deps: SessionDeps, sessionId: string): Promise<string> {
  const token = newOpaqueToken(deps.ids);
  const now = deps.clock.now();
  await db
    .insertInto('refresh_tokens')
    .values({
      token_hash: hashToken(deps.hashing, token),
      session_id: sessionId,
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + deps.config.refreshTokenTtlSeconds * 1000).toISOString(),
      used_at: null,
    })
    .execute();
  return token;
}

export type SessionState = { kind: 'active'; userId: string } | { kind: 'revoked' } | { kind: 'unknown' };

/** Whether a session may still be used (auth tokens and refreshes check this on every request). */
export async function sessionState(db: Kysely<ServerDb>, sessionId: string): Promise<SessionState> {
  const row = await db
    .selectFrom('sessions')
    .select(['user_id', 'revoked_at'])
    .where('id', '=', sessionId)
    .executeTakeFirst();
  if (!row) return { kind: 'unknown' };
  return row.revoked_at === null ? { kind: 'active', userId: row.user_id } : { kind: 'revoked' };
}

/** Ends a session: its auth tokens and refresh tokens stop working at once. Keeps the first revocation's time and reason. */
export async function revokeSession(
  db: Kysely<ServerDb>,
  sessionId: string,
  reason: RevokeReason,
  now: Date,
): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ revoked_at: now.toISOString(), revoked_reason: reason })
    .where('id', '=', sessionId)
    .where('revoked_at', 'is', null)
    .execute();
}

export type RefreshOutcome =
  | { kind: 'rotated'; userId: string; sessionId: string; refreshToken: string }
  | { kind: 'unknown' }
  | { kind: 'expired' }
  /** The session was already ended (sign-out or an earlier reuse). */
  | { kind: 'revoked' }
  /** The token had been spent before: the session is now revoked. */
  | { kind: 'reused' };

/** Spends a refresh token and issues its successor, or says why not (revoking the family on reuse). */
export async function rotateRefreshToken(
  db: Kysely<ServerDb>,
  deps: SessionDeps,
  refreshToken: string,
): Promise<RefreshOutcome> {
  const tokenHash = hashToken(deps.hashing, refreshToken);
  const now = deps.clock.now();
  const row = await db
    .selectFrom('refresh_tokens')
    .innerJoin('sessions', 'sessions.id', 'refresh_tokens.session_id')
    .select([
      'refresh_tokens.session_id',
      'refresh_tokens.expires_at',
      'refresh_tokens.used_at',
      'sessions.user_id',
      'sessions.revoked_at',
    ])
    .where('refresh_tokens.token_hash', '=', tokenHash)
    .executeTakeFirst();
  if (!row) return { kind: 'unknown' };
  if (row.revoked_at !== null) return { kind: 'revoked' };
  if (row.used_at !== null) {
    await revokeSession(db, row.session_id, 'refresh_reuse', now);
    return { kind: 'reused' };
  }
  if (row.expires_at <= now.toISOString()) return { kind: 'expired' };

  const rotated = await db.transaction().execute(async (trx) => {
    // Spending is conditional on the token still being unspent, so of two
    // concurrent refreshes with one token exactly one wins.
    const spent = await trx
      .updateTable('refresh_tokens')
      .set({ used_at: now.toISOString() })
      .where('token_hash', '=', tokenHash)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    if (Number(spent.numUpdatedRows) !== 1) return undefined;
    return issueRefreshToken(trx, deps, row.session_id);
  });
  if (rotated === undefined) {
    await revokeSession(db, row.session_id, 'refresh_reuse', now);
    return { kind: 'reused' };
  }
  return { kind: 'rotated', userId: row.user_id, sessionId: row.session_id, refreshToken: rotated };
}
