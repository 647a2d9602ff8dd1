/** Kysely types of the account tables (sessions, refresh tokens, rate limits), created by migration 0002-auth. */

/**
 * One UI session: the family of auth and refresh tokens born from one
 * sign-in. Revoking it (sign-out, refresh-token reuse) stops all of them at
 * once; the device's sync token is not part of it.
 */
export type SessionsTable = {
  id: string;
  user_id: string;
  /** The device the sign-in came from (informational: the sync token lives on `devices`). */
  device_id: string | null;
  created_at: string;
  revoked_at: string | null;
  /** `sign_out` or `refresh_reuse`, for operators reading the table. */
  revoked_reason: string | null;
};

/** One refresh token of a session, stored only as its SHA-256 (hex); `used_at` is set when it is rotated. */
export type RefreshTokensTable = {
  token_hash: string;
  session_id: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
};

/**
 * A fixed-window counter shared by every server instance (sign-in failures per
 * account and per address, user look-ups per caller). `key` is a SHA-256 hex
 * of the subject, so no email or address is stored in clear.
 */
export type RateLimitsTable = {
  key: string;
  window_started_at: string;
  hits: number;
};

export type AuthTables = {
  sessions: SessionsTable;
  refresh_tokens: RefreshTokensTable;
  rate_limits: RateLimitsTable;
};
