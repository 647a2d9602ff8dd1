/**
 * `GET /v1/sync/pull` (PROTOCOL §4): the one file that knows the order of a
 * pull. Check the request against the token's device → open the cursor →
 * in one read-only snapshot: current memberships → where each organization
 * starts → refuse a cursor ahead of the log → read a page of the change log;
 * then translate rows for the client's schema version, advance the cursor and
 * note the pull on the device. The same snapshot read serves many devices at
 * once (`readPullPages`: the woken waiting pulls of docs/protocol.md "Live pull").
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
import { advancePositions, resolvePositions, type ResolvedPositions } from './merge-positions.ts';
import { MAX_PAGE_BYTES, readChanges, type ChangePage, type ChangeRow } from './read-changes.ts';
import { positionBeyondLog, readLogEnds } from './read-log-ends.ts';
import { readMemberships } from './read-memberships.ts';
import { unauthorized } from '../../auth/require-token.ts';
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

/** A pull's answer, the organizations it read (what a waiting pull waits on: sync/live/wait-for-changes.ts) and its positions. */
export type PullPage = {
  readonly response: PullResponse;
  readonly organizationIds: readonly string[];
  /** The positions the page was read from (the request's cursor): where a woken waiting pull reads from again. */
  readonly from: readonly CursorPosition[];
  /** The positions `response.cursor` holds. */
  readonly to: readonly CursorPosition[];
};

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
  checkPullDevice(actor, query);
  checkSchemaVersion(query.schemaVersion, deps.minSupportedSchemaVersion ?? MIN_SUPPORTED_SCHEMA_VERSION);
  const holder: CursorHolder = { userId: actor.userId, deviceId: actor.deviceId };
  const from =
    query.cursor === undefined ? [] : await openCursor(deps.cursors, holder, query.cursor, query.schemaVersion);
  const [outcome] = await readPullPages(deps, [
    { actor, schemaVersion: query.schemaVersion, limit: query.limit, from },
  ]);
  if (outcome!.kind === 'refused') throw outcome!.error;
  assert(outcome!.kind === 'page', 'a lone page read is never deferred');
  if (options.notePull !== false) {
    await deps.db
      .updateTable('devices')
      .set({ last_pull_at: deps.clock.now().toISOString() })
      .where('user_id', '=', actor.userId)
      .where('device_id', '=', actor.deviceId)
      .execute();
  }
  return outcome!.page;
}

/**
 * Refuses a pull that names another device than its token's (403), as every pull does before anything else; a waiting
 * pull from a cursor this instance just answered reads nothing at first (sync/live/issued-pages.ts), so it checks here.
 */
export function checkPullDevice(actor: SyncActor, query: Pick<PullQuery, 'deviceId'>): void {
  if (query.deviceId !== actor.deviceId)
    throw new ApiError('forbidden', 'The deviceId is not the device of this sync token.');
}

/** One device's page to read: its request, already checked, from the positions its cursor held. */
export type PageRequest = {
  readonly actor: SyncActor;
  readonly schemaVersion: number;
  readonly limit: number;
  readonly from: readonly CursorPosition[];
};

/** What became of one request of a shared read: its page, a refusal, or a turn in the next read (the read's byte budget was spent). */
export type PageOutcome =
  | { readonly kind: 'page'; readonly page: PullPage }
  | { readonly kind: 'refused'; readonly error: ApiError }
  | { readonly kind: 'deferred' };

export type SharedReadOptions<R extends PageRequest = PageRequest> = {
  /**
   * Checked inside the snapshot, once for all requests (the waiting pull's token recheck): per request, the
   * `ApiError` that refuses it, or undefined to read its page.
   */
  readonly admit?: (trx: Kysely<ServerDb>, requests: readonly R[]) => Promise<readonly (ApiError | undefined)[]>;
  /** New pages stop being read once the pages read hold about this many bytes; later requests needing another page are deferred. */
  readonly maxBytes?: number;
  /**
   * At most this many distinct pages are read (each one change-log read, one after another in the snapshot); later
   * requests needing another page are deferred. Bounds a batch's latency when many organizations woke in the same turn:
   * every other woken pull of the instance waits for the batch.
   */
  readonly maxPages?: number;
};

/**
 * Reads the pages of many devices in ONE read-only snapshot (the woken pulls
 * of an organization's devices: docs/protocol.md "Live pull"), each exactly
 * the page a pull of that device alone would get at that snapshot: its own
 * memberships (so a removed member's organization is revoked, never read),
 * its own positions and limit, its schema version and its own signed cursor.
 * What the devices share is what does not depend on who asks: one query for
 * all memberships, one for the log ends, and one page read per distinct
 * (positions, limit) — devices woken by the same write from the same
 * position read the new changes once.
 *
 * One snapshot for memberships and rows, so a page never mixes a removal
 * with rows written after it. Within an organization, seq order is commit
 * order (push allocates seq under a lock on `org_seq` held until commit),
 * so what a snapshot sees after a position is a gap-free prefix: nothing
 * that commits later can land behind the position we hand out.
 */
export async function readPullPages<R extends PageRequest>(
  deps: PullDeps,
  requests: readonly R[],
  options: SharedReadOptions<R> = {},
): Promise<PageOutcome[]> {
  const maxBytes = options.maxBytes ?? MAX_PAGE_BYTES;
  const maxPages = Math.max(1, options.maxPages ?? Number.POSITIVE_INFINITY);
  type Read = { kind: 'read'; resolved: ResolvedPositions; page: ChangePage; key: string };
  const reads = await deps.db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute(async (trx) => {
      const refusals = options.admit ? await options.admit(trx, requests) : [];
      const admitted = requests.filter((_, i) => refusals[i] === undefined);
      const memberships = await readMemberships(trx, [...new Set(admitted.map((r) => r.actor.userId))]);
      const resolved = requests.map((r, i) =>
        refusals[i] === undefined ? resolvePositions(r.from, memberships.get(r.actor.userId) ?? []) : undefined,
      );
      const ends = await readLogEnds(
        trx,
        resolved.flatMap((r) => r?.positions ?? []),
      );
      const pages = new Map<string, ChangePage>();
      let bytes = 0;
      const out: (Read | Exclude<PageOutcome, { kind: 'page' }>)[] = [];
      for (const [i, request] of requests.entries()) {
        const refusal = refusals[i];
        const mine = resolved[i];
        if (refusal !== undefined || mine === undefined) {
          out.push({ kind: 'refused', error: refusal ?? unauthorized() });
          continue;
        }
        if (positionBeyondLog(mine.positions, ends)) {
          out.push({ kind: 'refused', error: cursorInvalid('ahead_of_log') });
          continue;
        }
        const key = sharedPageKey(mine.positions, request.limit);
        let page = pages.get(key);
        if (!page) {
          if (pages.size >= maxPages || (pages.size > 0 && bytes >= maxBytes)) {
            out.push({ kind: 'deferred' });
            continue;
          }
          page = await readChanges(trx, { positions: mine.positions, limit: request.limit });
          bytes += page.bytes;
          pages.set(key, page);
        }
        out.push({ kind: 'read', resolved: mine, page, key });
      }
      return out;
    });

  // Translated once per page and schema version; each device still gets its own cursor.
  const translated = new Map<string, Change[]>();
  return Promise.all(
    reads.map(async (read, i): Promise<PageOutcome> => {
      if (read.kind !== 'read') return read;
      const request = requests[i]!;
      const { resolved, page } = read;
      const changesKey = `${request.schemaVersion}|${read.key}`;
      let changes = translated.get(changesKey);
      if (!changes) {
        const translate = translationNeeds(request.schemaVersion);
        changes = page.rows.map((row) => toChange(row, request.schemaVersion, translate));
        translated.set(changesKey, changes);
      }
      const to = advancePositions(resolved.positions, page.rows);
      const cursor = await deps.cursors.encode(
        { userId: request.actor.userId, deviceId: request.actor.deviceId },
        { schemaVersion: request.schemaVersion, positions: to },
      );
      return {
        kind: 'page',
        page: {
          response: { changes, cursor, hasMore: page.hasMore, revokedOrganizations: [...resolved.revoked] },
          organizationIds: resolved.positions.map((p) => p.organizationId),
          from: request.from,
          to,
        },
      };
    }),
  );
}

/** Requests with equal positions (organization and seq; the membership does not change what is read) and limit read the same page. */
function sharedPageKey(positions: readonly CursorPosition[], limit: number): string {
  return `${limit}|${positions.map((p) => `${p.organizationId}:${p.seq}`).join(',')}`;
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
