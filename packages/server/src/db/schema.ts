/**
 * Kysely types of the server database. Synced tables share one row shape
 * derived from the registry; the server-only tables are declared here.
 * Conventions for one code path on SQLite and PostgreSQL: timestamps are
 * ISO-8601 UTC text, booleans are 0/1 integers, JSON is text.
 */
import type { TableName, TABLES } from '@clinicsync/protocol';
import type { AuthTables } from './auth-tables.ts';

/** The SQL value type of a registry column (nullable: optional columns and tombstones). */
type ColumnValue<C> = C extends { readonly type: 'integer' | 'number' | 'boolean' } ? number | null : string | null;

/** The system columns every synced row has. */
export type SystemColumns = {
  id: string;
  version: number;
  updated_at: string;
  updated_by: string;
  deleted: number;
  /** Per-field versions (JSON `{field: version}`) for field-level merge (PROTOCOL §3). */
  field_versions: string;
};

/** A synced row as stored: the system columns plus the registry's columns, typed from the registry. */
export type SyncedRowTable<T extends TableName = TableName> = SystemColumns & {
  -readonly [K in keyof (typeof TABLES)[T]['columns']]: ColumnValue<(typeof TABLES)[T]['columns'][K]>;
};

export type UsersTable = {
  id: string;
  email: string;
  name: string;
  password_hash: string;
  created_at: string;
};

/** One device of one user, with its sync token and its latest outbox report. */
export type DevicesTable = {
  user_id: string;
  device_id: string;
  device_name: string;
  /** SHA-256 (hex) of the sync token; the token itself is never stored. */
  sync_token_hash: string;
  created_at: string;
  revoked_at: string | null;
  last_push_at: string | null;
  last_pull_at: string | null;
  pending: number | null;
  oldest_pending_at: string | null;
  open_conflicts: number | null;
  dead_letters: number | null;
  schema_version: number | null;
  app_version: string | null;
};

/** The per-organization sequence counter, locked by every writing transaction. */
export type OrgSeqTable = {
  organization_id: string;
  last_seq: number;
};

/**
 * One row per synced record: its latest change, renumbered on every change.
 * Pull reads `seq > position` per organization, so a record changed ten times
 * comes once, with its latest state, read from the record itself (no copy here).
 */
export type ChangeLogTable = {
  organization_id: string;
  seq: number;
  table_name: string;
  record_id: string;
  version: number;
  op: 'UPSERT' | 'DELETE';
};

/**
 * One row per applied change: who, when, from which device, before and after.
 * Keyed by the same per-organization sequence number as the change log.
 */
export type AuditLogTable = {
  organization_id: string;
  seq: number;
  at: string;
  user_id: string;
  device_id: string | null;
  event_id: string | null;
  table_name: string;
  record_id: string;
  op: 'INSERT' | 'UPDATE' | 'DELETE';
  version: number;
  before: string | null;
  after: string | null;
};

/**
 * Every event the server has processed, so a re-sent event is answered
 * `duplicate` with its original outcome (PROTOCOL §3 "Idempotency").
 * `fingerprint` is a hash of the event's content, to detect a reused eventId.
 */
export type AppliedEventsTable = {
  event_id: string;
  user_id: string;
  device_id: string;
  organization_id: string | null;
  fingerprint: string;
  /** JSON of the original outcome (`applied`, `conflict` or `rejected`). */
  outcome: string;
  created_at: string;
};

/** One invitation of an email to an organization (PROTOCOL §1b). */
export type InvitationsTable = {
  id: string;
  organization_id: string;
  /** Normalised (trimmed, lowercase) like account emails. */
  email: string;
  role: string;
  team_id: string | null;
  invited_by: string;
  created_at: string;
  expires_at: string;
  status: 'pending' | 'accepted' | 'declined' | 'withdrawn';
  responded_at: string | null;
  /** Who accepted, declined or withdrew it. */
  responded_by: string | null;
};

/** A device's latest outbox report for one organization (PROTOCOL §6). */
export type DeviceOutboxTable = {
  user_id: string;
  device_id: string;
  organization_id: string;
  pending: number;
  oldest_pending_at: string | null;
  open_conflicts: number | null;
  dead_letters: number | null;
  reported_at: string;
};

/** Failed sign-ins of one bucket and when the next attempt may come (auth/sign-in-throttle.ts). */
export type SignInThrottleTable = {
  key: string;
  failures: number;
  last_failure_at: string;
  next_allowed_at: string;
};

/** Deployment-wide generated secrets (PostgreSQL deployments without CLINICSYNC_JWT_SECRET). */
export type ServerSecretsTable = { name: string; value: string; created_at: string };

export type SyncedTables = { [T in TableName]: SyncedRowTable<T> };

export type CoreTables = {
  users: UsersTable;
  devices: DevicesTable;
  org_seq: OrgSeqTable;
  change_log: ChangeLogTable;
  audit_log: AuditLogTable;
  applied_events: AppliedEventsTable;
  server_secrets: ServerSecretsTable;
  invitations: InvitationsTable;
  device_outbox: DeviceOutboxTable;
  sign_in_throttle: SignInThrottleTable;
};

/** The full database type; accounts' tables are declared by the auth feature. */
export interface ServerDb extends SyncedTables, CoreTables, AuthTables {}
