/**
 * Applies one pull page (PROTOCOL §4) in one local transaction together with
 * its cursor, so a crash either keeps the page and its cursor or neither.
 * A row with unsent local edits is never overwritten: its new server state is
 * only remembered (the push that follows reports the conflict, and a refused
 * edit falls back to it). Revoked organizations are purged, their unsent
 * edits kept as dead letters.
 */
import { isTableName, TABLE_NAMES, type Change, type PullResponse, type TableName } from '@clinicsync/protocol';
import { quoteIdent, rowFromServer } from './local-columns.ts';
import { beginBulkLoad, finishBulkLoad } from './bulk-load.ts';
import { createServerRowBatch, readRow, type ServerRowBatch } from './local-rows.ts';
import { discardDraftsNaming } from './drafts.ts';
import { deadLetterOrganization } from './outbox.ts';
import { fileDeadLetter } from './conflict-records.ts';
import { listConflicts } from './conflict-inbox.ts';
import { hasPendingEvents, updateServerRow } from './server-rows.ts';
import { readState, writeState } from './sync-state.ts';
import { storeSchemaVersion, type StoreContext } from './store-context.ts';

export type PageSummary = { readonly applied: number; readonly skipped: number; readonly purgedOrganizations: number };

const REVOKED_MESSAGE = 'You are no longer a member of this organization, so this change could not be sent.';

export function applyPullPage(ctx: StoreContext, page: PullResponse): PageSummary {
  // Redoable: a page lost to a power cut goes with its cursor, so it is pulled again.
  return ctx.db.transaction(
    () => {
      const resync = readState(ctx.db, 'resync_in_progress') === '1';
      const bulk = beginBulkLoad(ctx.db, page);
      // Per table and page, one row batch: its column list and SQL are worked out once, not per row.
      const schemaVersion = storeSchemaVersion(ctx);
      const batches = new Map<TableName, ServerRowBatch>();
      const batchOf = (table: TableName) => {
        let batch = batches.get(table);
        if (!batch) batches.set(table, (batch = createServerRowBatch(ctx.db, table, schemaVersion)));
        return batch;
      };
      let applied = 0;
      // Before anything reads or writes a synced row outside the batches, the rows queued before it are written.
      const flush = () => {
        for (const batch of batches.values()) applied += batch.flush();
      };
      // Most pages meet an empty outbox (a first sync always does): then no row can have unsent edits.
      const outboxEmpty = ctx.db.get('SELECT 1 AS one FROM _outbox LIMIT 1') === undefined;
      let skipped = 0;
      for (const change of page.changes) {
        // A table this client does not know yet: the server only sends those to newer clients.
        if (!isTableName(change.table)) continue;
        if (resync) {
          ctx.db.run('INSERT OR IGNORE INTO _resync_seen (table_name, record_id) VALUES (?, ?)', [
            change.table,
            change.recordId,
          ]);
          ctx.db.run('INSERT OR IGNORE INTO _resync_orgs (organization_id) VALUES (?)', [change.organizationId]);
        }
        if (!outboxEmpty && hasPendingEvents(ctx.db, change.table, change.recordId)) {
          flush();
          const server = rowFromServer(
            change.table,
            change.recordId,
            change.version,
            serverRecord(ctx, change),
            change.op === 'DELETE',
            schemaVersion,
          );
          updateServerRow(ctx.db, change.table, change.recordId, { version: change.version, row: server });
          ctx.db.run(
            `UPDATE ${quoteIdent(change.table)} SET _organization_id = ? WHERE id = ? AND _organization_id IS NULL`,
            [change.organizationId, change.recordId],
          );
          skipped += 1;
          continue;
        }
        // A row the store already holds at a newer version is left as it is (the upsert checks).
        if (change.op === 'DELETE' && change.data === null) flush();
        batchOf(change.table).add(
          change.recordId,
          change.version,
          serverRecord(ctx, change),
          change.op === 'DELETE',
          change.organizationId,
        );
      }
      flush();
      for (const organizationId of page.revokedOrganizations) purgeOrganization(ctx, organizationId);
      writeState(ctx.db, 'cursor', page.cursor);
      if (!page.hasMore && resync) sweepAfterResync(ctx);
      if (!page.hasMore && bulk) finishBulkLoad(ctx.db);
      // The search index is not built here: the engine catches it up after the pull (search-index-catch-up.ts),
      // and a search before that finishes it first.
      return { applied, skipped, purgedOrganizations: page.revokedOrganizations.length };
    },
    // A first sync's pages follow each other (a hint only: the transaction decides the bulk load itself).
    {
      redoable: true,
      bulk: page.hasMore && (readState(ctx.db, 'cursor') === null || readState(ctx.db, 'bulk_load') === '1'),
    },
  );
}

/** The record a change leaves: its data; a tombstone without data keeps its last values from what the store has. */
function serverRecord(ctx: StoreContext, change: Change): Readonly<Record<string, unknown>> | null {
  if (change.op === 'UPSERT' || change.data !== null) return change.data;
  return readRow(ctx.db, change.table as TableName, change.recordId)?.row ?? null;
}

/**
 * Removes every row of an organization the user no longer belongs to, and the
 * drafts typed about them; unsent edits (resolutions included) and open
 * conflicts become dead letters.
 */
export function purgeOrganization(ctx: StoreContext, organizationId: string, message: string = REVOKED_MESSAGE): void {
  // Drafts typed about its records and conflicts (a half-typed merge holds patient data) leave with them.
  const named = new Set<string>([organizationId.toLowerCase()]);
  for (const { id } of ctx.db.all('SELECT id FROM _conflicts WHERE organization_id = ?', [organizationId]))
    named.add(String(id).toLowerCase());
  for (const table of TABLE_NAMES)
    for (const { id } of ctx.db.all(`SELECT id FROM ${quoteIdent(table)} WHERE _organization_id = ?`, [organizationId]))
      named.add(String(id).toLowerCase());
  discardDraftsNaming(ctx, named);
  deadLetterOrganization(ctx, organizationId, message);
  // A resolution's event was just moved to the dead letters with the other unsent edits.
  ctx.db.run('DELETE FROM _conflicts WHERE organization_id = ? AND resolution IS NOT NULL', [organizationId]);
  for (const conflict of listConflicts(ctx)) {
    if (conflict.organizationId !== organizationId) continue;
    ctx.db.run('DELETE FROM _conflicts WHERE id = ?', [conflict.id]);
    fileDeadLetter(
      ctx,
      { ...conflict, data: conflict.changes },
      { organizationId, code: 'organization_revoked', message, record: conflict.local ?? conflict.server },
    );
  }
  for (const table of TABLE_NAMES) {
    const t = quoteIdent(table);
    ctx.db.run(
      `DELETE FROM _server_rows WHERE table_name = ? AND record_id IN (SELECT id FROM ${t} WHERE _organization_id = ?)`,
      [table, organizationId],
    );
    ctx.db.run(`DELETE FROM ${t} WHERE _organization_id = ?`, [organizationId]);
  }
}

/**
 * End of a full resync: an organization the server sent nothing of is one the
 * user no longer belongs to (a full pull always sends a member its
 * organization's row), so it is purged like a revoked one, its unsent edits
 * and open conflicts kept as dead letters. Organizations created on this
 * device and not yet sent (their row still at version 0) are not on the
 * server yet and stay. Then rows the server did not send are gone there,
 * unless they still carry unsent edits.
 */
function sweepAfterResync(ctx: StoreContext): void {
  for (const organizationId of organizationsLeft(ctx)) purgeOrganization(ctx, organizationId);
  for (const table of TABLE_NAMES) {
    ctx.db.run(
      `DELETE FROM ${quoteIdent(table)} WHERE id NOT IN (SELECT record_id FROM _resync_seen WHERE table_name = ?)
         AND id NOT IN (SELECT record_id FROM _outbox WHERE table_name = ?)`,
      [table, table],
    );
  }
  ctx.db.run('DELETE FROM _resync_seen');
  ctx.db.run('DELETE FROM _resync_orgs');
  writeState(ctx.db, 'resync_in_progress', null);
}

/** Every organization this store holds anything of: rows (with their unsent edits) or conflicts. */
export function organizationsInStore(ctx: StoreContext): Set<string> {
  const known = new Set<string>();
  for (const table of TABLE_NAMES) {
    for (const row of ctx.db.all(
      `SELECT DISTINCT _organization_id AS org FROM ${quoteIdent(table)} WHERE _organization_id IS NOT NULL`,
    ))
      known.add(String(row.org));
  }
  for (const row of ctx.db.all(
    'SELECT DISTINCT organization_id AS org FROM _conflicts WHERE organization_id IS NOT NULL',
  ))
    known.add(String(row.org));
  return known;
}

/** Organizations this store holds anything of that the full resync did not send. */
function organizationsLeft(ctx: StoreContext): string[] {
  const known = organizationsInStore(ctx);
  const seen = new Set(ctx.db.all('SELECT organization_id FROM _resync_orgs').map((r) => String(r.organization_id)));
  return [...known].filter((org) => !seen.has(org) && !createdHereUnsent(ctx, org));
}

function createdHereUnsent(ctx: StoreContext, organizationId: string): boolean {
  const row = readRow(ctx.db, 'organizations', organizationId)?.row;
  return row !== undefined && row.version === 0;
}
