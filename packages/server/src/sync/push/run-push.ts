/**
 * The push pipeline (PROTOCOL §3), the only place that knows the order of
 * its steps. One batch is one transaction: a server error leaves nothing
 * half-applied, while a refused event is a result and the batch goes on.
 *
 * Per event: find duplicate → validate → load the stored row → resolve scope
 * → check access → (tombstones are gone) → guard version → check integrity →
 * apply → record change; then remember the outcome for idempotency. The
 * bootstrap scan runs once before the first event.
 */
import { assertNever, fieldsForSchemaVersion, type EventId, type EventResult, type OriginalOutcome } from '@clinicsync/protocol';
import type { Kysely, Transaction } from 'kysely';
import type { Capabilities } from '../../db/capabilities.ts';
import type { ServerDb } from '../../db/schema.ts';
import type { Clock } from '../../deps.ts';
import { applyEvent } from './apply-event.ts';
import { scanBootstrap, type Bootstrap } from './bootstrap.ts';
import { checkAccess } from './check-access.ts';
import { checkIntegrity } from './check-integrity.ts';
import { reject, type Actor, type Rejection, type ValidEvent } from './event-types.ts';
import { findDuplicate, rememberOutcome } from './find-duplicate.ts';
import { fingerprintEvent } from './fingerprint-event.ts';
import { guardVersion } from './guard-version.ts';
import { recordChange } from './record-change.ts';
import { resolveScope } from './resolve-scope.ts';
import { runInTransaction } from './run-in-transaction.ts';
import { loadStoredRow, toServerRecord } from './stored-row.ts';
import { validateEvent } from './validate-event.ts';

export type PushDeps = { readonly db: Kysely<ServerDb>; readonly caps: Capabilities; readonly clock: Clock };

/** One event of the request: its checked eventId and the raw object exactly as sent. */
export type PushItem = { readonly eventId: EventId; readonly raw: unknown };

type Context = {
  readonly trx: Transaction<ServerDb>;
  readonly actor: Actor;
  readonly now: string;
  readonly bootstrap: Bootstrap;
  /** The client's schema version: its events are validated against the columns it knows. */
  readonly schemaVersion: number;
};
type Decided = { readonly outcome: OriginalOutcome; readonly organizationId: string | null };

// A row that keeps changing under us (PostgreSQL, other connections) is answered as a conflict after this many tries.
const APPLY_ATTEMPTS = 3;

/** Processes a batch for `actor`; returns one result per event, in request order. */
export async function runPush(
  deps: PushDeps,
  input: { readonly actor: Actor; readonly schemaVersion: number; readonly events: readonly PushItem[] },
): Promise<EventResult[]> {
  const { actor, events, schemaVersion } = input;
  const fingerprints = await Promise.all(events.map((item) => fingerprintEvent(item.raw)));
  const now = deps.clock.now().toISOString();
  return runInTransaction(deps.db, deps.caps, async (trx) => {
    // Scanned per attempt: which organizations this transaction created starts empty again on a retry.
    const ctx: Context = { trx, actor, now, schemaVersion, bootstrap: scanBootstrap(events.map((item) => item.raw), actor) };
    const results: EventResult[] = [];
    for (const [index, item] of events.entries()) results.push(await processEvent(ctx, item, fingerprints[index]!));
    return results;
  });
}

async function processEvent(ctx: Context, item: PushItem, fingerprint: string): Promise<EventResult> {
  const { eventId } = item;
  const seen = await findDuplicate(ctx.trx, { eventId, userId: ctx.actor.userId, fingerprint });
  switch (seen.kind) {
    case 'duplicate':
      return { eventId, status: 'duplicate', original: seen.original };
    case 'rejected':
      // Not remembered: the eventId already belongs to the event stored first.
      return { eventId, ...rejectedOutcome(seen) };
    case 'new':
      break;
    default:
      assertNever(seen);
  }
  const { outcome, organizationId } = await decide(ctx, item.raw);
  await rememberOutcome(ctx.trx, { eventId, actor: ctx.actor, organizationId, fingerprint, outcome, now: ctx.now });
  return { eventId, ...outcome };
}

async function decide(ctx: Context, raw: unknown): Promise<Decided> {
  const validation = validateEvent(raw, ctx.schemaVersion);
  if (validation.kind === 'rejected') return refused(validation, null);
  const event = validation.event;

  for (let attempt = 1; ; attempt++) {
    const result = await decideOnce(ctx, event, attempt === APPLY_ATTEMPTS);
    if (result !== 'lost_race') return result;
  }
}

/**
 * One pass from the stored row to the applied change. `lost_race` means the
 * row changed between reading and writing it (another connection committed
 * first); the next pass starts again from the new stored row, scope and
 * access included, since an INSERT may now meet a row of another organization.
 */
async function decideOnce(ctx: Context, event: ValidEvent, lastAttempt: boolean): Promise<Decided | 'lost_race'> {
  const { trx, actor, now, bootstrap } = ctx;
  const stored = await loadStoredRow(trx, event.table, event.recordId);
  const scope = await resolveScope(trx, { event, stored });
  if (scope.kind === 'rejected') return refused(scope, null);
  const scoped = { ...event, organizationId: scope.organizationId };
  const access = await checkAccess(trx, { actor, event: scoped, stored, bootstrap });
  if (access.kind === 'rejected') return refused(access, scoped.organizationId);
  // Checked only now, so a tombstone of another organization answers `forbidden` like a live row.
  if (stored?.deleted && event.op !== 'INSERT') return refused(reject('not_found', `This ${event.spec.label} has been deleted.`), scoped.organizationId);

  const decision = guardVersion(scoped, stored, event.spec);
  switch (decision.kind) {
    case 'conflict':
      return {
        outcome: {
          status: 'conflict',
          serverVersion: decision.serverVersion,
          // Shown as the client's schema version knows the row (a stale DELETE may clash on a column it has never seen).
          serverRecord: stored ? toServerRecord(stored, event.table, ctx.schemaVersion) : null,
          fields: fieldsForSchemaVersion(event.table, decision.fields, ctx.schemaVersion),
        },
        organizationId: scoped.organizationId,
      };
    case 'write':
    case 'merge':
      break;
    default:
      assertNever(decision);
  }

  const integrity = await checkIntegrity(trx, { event: scoped, stored });
  if (integrity.kind === 'rejected') return refused(integrity, scoped.organizationId);

  const applied = await applyEvent(trx, { event: scoped, stored, actor, now });
  if (applied.kind === 'lost_race') {
    if (!lastAttempt) return 'lost_race';
    // Only an UPDATE or DELETE gets here (a lost INSERT race meets the stored row on the next pass), and
    // its row cannot leave the organization whose access was just checked, so showing it leaks nothing.
    const current = await loadStoredRow(trx, event.table, event.recordId);
    const visible = event.op !== 'INSERT' && current !== undefined;
    return {
      outcome: { status: 'conflict', serverVersion: current?.version ?? 0, serverRecord: visible ? toServerRecord(current, event.table, ctx.schemaVersion) : null, fields: Object.keys(event.data) },
      organizationId: scoped.organizationId,
    };
  }
  await recordChange(trx, { event: scoped, before: applied.before, after: applied.after, actor, now });
  if (event.table === 'organizations' && event.op === 'INSERT') bootstrap.markCreated(event.recordId);
  return { outcome: { status: 'applied', version: applied.after.version }, organizationId: scoped.organizationId };
}

function refused(rejection: Rejection, organizationId: string | null): Decided {
  return { outcome: rejectedOutcome(rejection), organizationId };
}

function rejectedOutcome(rejection: Rejection): Extract<OriginalOutcome, { status: 'rejected' }> {
  return { status: 'rejected', code: rejection.code, message: rejection.message };
}
