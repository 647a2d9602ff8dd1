/**
 * `GET /v1/sync/pull` (PROTOCOL §4): the one file that knows the order of a
 * pull. Check the request against the token's device → open the cursor →
 * in one read-only snapshot: current memberships → where each organization
 * starts → refuse a cursor ahead of the log → read a page of the change log;
 * then translate rows for the client's schema version, advance the cursor and
 * note the pull on the device.
 */
import {
  ApiError,
  assert,
  columnSince,
  isTableName,
  MIN_SUPPORTED_SCHEMA_VERSION,
  changeForSchemaVersion,
  tableSpec,
  type Change,
  type PullQuery,
  type PullResponse,
  type TableName,
} from '@clinicsync/protocol';
import type { Kysely } from 'kysely';
import type { SyncActor } from '../../app-env.ts';
import type { ServerDb } from '../../db/schema.ts';
import type { Clock } from '../../deps.ts';
import type { CursorCodec, CursorHolder, CursorPosition } from './cursor.ts';
import { advancePositions, resolvePositions } from './merge-positions.ts';
import { readChanges, type ChangeRow } from './read-changes.ts';
import { findPositionBeyondLog } from './read-log-ends.ts';
import { readMemberships } from './read-memberships.ts';
import { checkSchemaVersion } from '../schema-version-gate.ts';

export type PullDeps = {
  readonly db: Kysely<ServerDb>;
  readonly clock: Clock;
  readonly cursors: CursorCodec;
  /** Oldest client schema version served (server config; default MIN_SUPPORTED_SCHEMA_VERSION). */
  readonly minSupportedSchemaVersion?: number;
};

/** Answers one pull for `actor`; throws `ApiError` 403 (another device), 426 or 400 (a schema version not served: sync/schema-version-gate.ts) or 410 (cursor cannot be continued). */
export async function runPull(deps: PullDeps, actor: SyncActor, query: PullQuery): Promise<PullResponse> {
  return (await readPullPage(deps, actor, query)).response;
}

/** A pull's answer and the organizations it read: what a waiting pull waits on (sync/live/wait-for-changes.ts). */
export type PullPage = { readonly response: PullResponse; readonly organizationIds: readonly string[] };

/**
 * `runPull`, also naming the organizations the user belongs to as of the page's snapshot.
 * `notePull: false` leaves the device's `last_pull_at` alone: a waiting pull notes itself once, when it
 * arrives, not again on every wake-up (a write would otherwise cost one more database write per waiting device).
 */
export async function readPullPage(
  deps: PullDeps,
  actor: SyncActor,
  query: PullQuery,
  options: { readonly notePull?: boolean } = {},
): Promise<PullPage> {
  if (query.deviceId !== actor.deviceId)
    throw new ApiError('forbidden', 'The deviceId is not the device of this sync token.');
  checkSchemaVersion(query.schemaVersion, deps.minSupportedSchemaVersion ?? MIN_SUPPORTED_SCHEMA_VERSION);
  const holder: CursorHolder = { userId: actor.userId, deviceId: actor.deviceId };
  const previous =
    query.cursor === undefined ? [] : await openCursor(deps.cursors, holder, query.cursor, query.schemaVersion);

  // One snapshot for memberships and rows, so a page never mixes a removal
  // with rows written after it. Within an organization, seq order is commit
  // order (push allocates seq under a lock on `org_seq` held until commit),
  // so what a snapshot sees after a position is a gap-free prefix: nothing
  // that commits later can land behind the position we hand out.
  const { resolved, page } = await deps.db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute(async (trx) => {
      const resolved = resolvePositions(previous, await readMemberships(trx, actor.userId));
      const beyond = await findPositionBeyondLog(trx, resolved.positions);
      if (beyond) throw cursorInvalid('ahead_of_log');
      const page = await readChanges(trx, { positions: resolved.positions, limit: query.limit });
      return { resolved, page };
    });

  const translate = translationNeeds(query.schemaVersion);
  const changes = page.rows.map((row) => toChange(row, query.schemaVersion, translate));
  const cursor = await deps.cursors.encode(holder, {
    schemaVersion: query.schemaVersion,
    positions: advancePositions(resolved.positions, page.rows),
  });
  if (options.notePull !== false) {
    await deps.db
      .updateTable('devices')
      .set({ last_pull_at: deps.clock.now().toISOString() })
      .where('user_id', '=', actor.userId)
      .where('device_id', '=', actor.deviceId)
      .execute();
  }
  return {
    response: { changes, cursor, hasMore: page.hasMore, revokedOrganizations: [...resolved.revoked] },
    organizationIds: resolved.positions.map((p) => p.organizationId),
  };
}

async function openCursor(
  cursors: CursorCodec,
  holder: CursorHolder,
  cursor: string,
  schemaVersion: number,
): Promise<readonly CursorPosition[]> {
  const decoded = await cursors.decode(holder, cursor);
  if (decoded.kind === 'invalid') throw cursorInvalid(decoded.reason);
  // Rows sent so far were shaped for the cursor's schema version; a client
  // that changed version must fetch them again (an upgraded client would
  // otherwise never receive the new columns of unchanged rows).
  if (decoded.state.schemaVersion !== schemaVersion) throw cursorInvalid('schema_version_changed');
  return decoded.state.positions;
}

function cursorInvalid(reason: string): ApiError {
  return new ApiError(
    'cursor_invalid',
    'The server cannot continue from this cursor. Pull again without a cursor; keep unsent local changes.',
    {
      details: { reason },
    },
  );
}

function toChange(row: ChangeRow, schemaVersion: number, translate: (table: TableName) => boolean): Change {
  assert(isTableName(row.table), `change_log holds an unknown table`);
  const base = { table: row.table, recordId: row.recordId, version: row.version, organizationId: row.organizationId };
  if (row.op === 'DELETE') return { ...base, op: 'DELETE', data: null };
  assert(row.data !== null, 'an UPSERT in change_log has no data');
  const data = { ...row.data };
  // An older client may receive an UPSERT as a DELETE (an entry it could not show as entered in error).
  return translate(row.table)
    ? { ...base, ...changeForSchemaVersion(row.table, 'UPSERT', data, schemaVersion) }
    : { ...base, op: 'UPSERT', data };
}

/**
 * Per table, whether its rows need translating for a client of
 * `schemaVersion`: only when the table has a column newer than that version
 * (otherwise the translation would hand back the same row). Decided once per
 * pull instead of once per row; a first sync pulls thousands.
 */
function translationNeeds(schemaVersion: number): (table: TableName) => boolean {
  const known = new Map<TableName, boolean>();
  return (table) => {
    let needed = known.get(table);
    if (needed === undefined) {
      needed = Object.values(tableSpec(table).columns).some((column) => columnSince(column) > schemaVersion);
      known.set(table, needed);
    }
    return needed;
  };
}
