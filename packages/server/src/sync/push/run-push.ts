/**
 * The push pipeline (PROTOCOL §3), the only place that knows the order of
 * its steps. One batch is one transaction: a server error leaves nothing
 * half-applied, while a refused event is a result and the batch goes on.
 *
 * Per event: find duplicate → validate → load the stored row → resolve scope
 * → check access → (tombstones are gone) → guard version → check clinical
 * values and the clinic number → check integrity → apply → record change; then remember the outcome for idempotency. The
 * bootstrap scan runs once before the first event, and the events run in
 * request order except that a creator's admin row is taken right after its
 * organization's INSERT (bootstrap.ts).
 *
 * The steps run per event, in order, but their database work is batched
 * (bench/README.md): the eventIds and the stored rows the batch needs are
 * read up front in a few queries, memberships once per organization, and new
 * rows, change-log and audit rows and remembered outcomes are written in
 * multi-row statements when the batch ends. The batch-local state is built
 * anew for every transaction attempt and always includes the batch's own
 * writes, so each event decides on exactly what the events before it left.
 */
import {
  assert,
  assertNever,
  fieldsForSchemaVersion,
  type EventId,
  type EventResult,
  type OriginalOutcome,
} from '@clinicsync/protocol';
import type { Kysely, Transaction } from 'kysely';
import { lockMembershipsOf } from '../../auth/memberships.ts';
import type { Capabilities } from '../../db/capabilities.ts';
import type { ServerDb } from '../../db/schema.ts';
import type { Clock } from '../../deps.ts';
import type { Hashing } from '../../hashing.ts';
import { applyEvent } from './apply-event.ts';
import { createBatchRows, type BatchRows } from './batch-rows.ts';
import { bootstrapOrder, scanBootstrap, type Bootstrap } from './bootstrap.ts';
import { checkAccess } from './check-access.ts';
import { checkClinical } from './check-clinical.ts';
import { checkIntegrity } from './check-integrity.ts';
import { checkShape } from './check-shape.ts';
import { findDoomedEvents, looseCandidate } from './doomed-events.ts';
import { endMemberships } from './end-memberships.ts';
import { withdrawInvitationsOfFormerAdmin } from './withdraw-invitations.ts';
import { reject, type Actor, type Rejection, type ValidEvent } from './event-types.ts';
import { openOutcomeLedger, type OutcomeLedger } from './find-duplicate.ts';
import { fingerprintsOf, type EventFingerprint } from './fingerprint-event.ts';
import { guardVersion } from './guard-version.ts';
import { createMemberRoles, type MemberRoles } from './member-roles.ts';
import { createChangeRecorder, type ChangeRecorder } from './record-change.ts';
import { resolveScope } from './resolve-scope.ts';
import { runInTransaction } from './run-in-transaction.ts';
import { toServerRecord } from './stored-row.ts';
import { validateEvent, type Validation } from './validate-event.ts';

export type PushDeps = {
  readonly db: Kysely<ServerDb>;
  readonly caps: Capabilities;
  readonly clock: Clock;
  readonly hashing: Hashing;
};

/** One event of the request: its checked eventId and the raw object exactly as sent. */
export type PushItem = { readonly eventId: EventId; readonly raw: unknown };

type Context = {
  readonly rows: BatchRows;
  readonly roles: MemberRoles;
  readonly changes: ChangeRecorder;
  readonly ledger: OutcomeLedger;
  readonly actor: Actor;
  readonly now: string;
  readonly bootstrap: Bootstrap;
  /** The client's schema version: its events are validated against the columns it knows. */
  readonly schemaVersion: number;
  /** Topics whose log this attempt moved (sync/live/change-notifier.ts): organizations, and people whose membership changed. */
  readonly moved: Set<string>;
  /** Events of organizations whose bootstrap failed in an earlier run of this batch. */
  readonly doomed: ReadonlySet<string>;
};
type Decided = { readonly outcome: OriginalOutcome; readonly organizationId: string | null };

/** The placeholder of an event refused by its shape: it is never looked up nor remembered. */
const NO_FINGERPRINT: EventFingerprint = { canonical: '', asSent: '' };

// A row that keeps changing under us (PostgreSQL, other connections) is answered as a conflict after this many tries.
const APPLY_ATTEMPTS = 3;

/** Processes a batch for `actor`; returns one result per event, in request order. */
export async function runPush(
  deps: PushDeps,
  input: {
    readonly actor: Actor;
    readonly schemaVersion: number;
    readonly events: readonly PushItem[];
    /** Called once the batch committed, with the topics it moved (none: not called), so waiting pulls can be woken. */
    readonly onCommitted?: (topics: readonly string[]) => void;
    /** More of the request's writes, run in the batch's transaction after its events (the device's outbox report). */
    readonly alsoInTransaction?: (trx: Transaction<ServerDb>) => Promise<void>;
  },
): Promise<EventResult[]> {
  const { actor, events, schemaVersion, alsoInTransaction } = input;
  // Cheap refusal first: an event too large to be a real one is refused before it is hashed or parsed.
  const shapes = events.map((item) => checkShape(item.raw));
  // The runtime's synchronous hash (`deps.hashing`), once per event for every run of the batch (twice for an event
  // whose ids came in capitals: its fingerprint as sent is kept for outcomes stored before ids were folded).
  const fingerprints = events.map((item, index) =>
    shapes[index] ? NO_FINGERPRINT : fingerprintsOf(item.raw, deps.hashing),
  );
  const now = deps.clock.now().toISOString();
  // Organizations whose bootstrap failed in an earlier run of this batch: their events are refused this time.
  const doomed = new Set<string>();
  for (;;) {
    const outcome = await runBatch(deps, {
      actor,
      events,
      schemaVersion,
      shapes,
      fingerprints,
      now,
      doomed,
      alsoInTransaction,
    });
    if (outcome.kind === 'done') {
      if (outcome.moved.size > 0) input.onCommitted?.([...outcome.moved]);
      return outcome.results;
    }
    // Rolled back: run again with those organizations' events refused, so nothing of them exists afterwards.
    // Each run must name a new one (there are at most as many as the batch has events), so this always ends.
    const fresh = outcome.organizationIds.filter((id) => !doomed.has(id));
    assert(fresh.length > 0, 'an incomplete bootstrap named no new organization');
    for (const id of fresh) doomed.add(id);
  }
}

type BatchInput = {
  readonly actor: Actor;
  readonly events: readonly PushItem[];
  readonly schemaVersion: number;
  readonly shapes: readonly (Rejection | undefined)[];
  readonly fingerprints: readonly EventFingerprint[];
  readonly now: string;
  readonly doomed: ReadonlySet<string>;
  readonly alsoInTransaction: ((trx: Transaction<ServerDb>) => Promise<void>) | undefined;
};
type BatchOutcome =
  | { readonly kind: 'done'; readonly results: EventResult[]; readonly moved: ReadonlySet<string> }
  | { readonly kind: 'incomplete'; readonly organizationIds: readonly string[] };

/** Thrown inside the transaction to roll it back when a new organization ended without its creator's admin row. */
class IncompleteBootstrap extends Error {
  constructor(readonly organizationIds: readonly string[]) {
    super('bootstrap incomplete');
  }
}

async function runBatch(deps: PushDeps, input: BatchInput): Promise<BatchOutcome> {
  try {
    const done = await runInTransaction(deps.db, deps.caps, (trx) => runAttempt(trx, deps.caps, input));
    return { kind: 'done', ...done };
  } catch (error) {
    if (error instanceof IncompleteBootstrap) return { kind: 'incomplete', organizationIds: error.organizationIds };
    throw error;
  }
}

async function runAttempt(
  trx: Transaction<ServerDb>,
  caps: Capabilities,
  input: BatchInput,
): Promise<{ results: EventResult[]; moved: ReadonlySet<string> }> {
  const { actor, events, schemaVersion, shapes, fingerprints, now } = input;
  // Everything batch-local is built per attempt: a retry starts from what the database holds then.
  const ledger = await openOutcomeLedger(trx, caps, { actor, eventIds: events.map((item) => item.eventId), now });
  // Validation is pure, so it runs once up front; events already processed before need none.
  const validations = events.map(
    (item, index) =>
      shapes[index] ?? (ledger.seenBefore(item.eventId) ? undefined : validateEvent(item.raw, schemaVersion)),
  );
  const rows = createBatchRows(trx, caps);
  await rows.prefetch(validations.flatMap((v) => (v?.kind === 'valid' ? [v.event] : [])));
  // The events as sent, each one refused by its shape left out: what the bootstrap scan and order read.
  const sent = events.map((item, index) => (shapes[index] ? undefined : item.raw));
  const ctx: Context = {
    rows,
    roles: createMemberRoles(rows, actor.userId),
    changes: createChangeRecorder(trx, caps),
    ledger,
    actor,
    now,
    schemaVersion,
    // Scanned per attempt: which organizations this transaction created starts empty again on a retry.
    bootstrap: scanBootstrap(sent, actor),
    // Only a rerun after an incomplete bootstrap has doomed organizations: the first run reads no candidates.
    doomed:
      input.doomed.size === 0
        ? new Set()
        : findDoomedEvents(
            validations.map((v, index) =>
              v?.kind === 'valid' ? v.event : shapes[index] ? undefined : looseCandidate(events[index]!.raw),
            ),
            input.doomed,
          ),
    moved: new Set(),
  };
  // A person's lock comes before any organization's (see lockMembershipsOf): a batch that may add its creator's
  // admin row takes it before its first event can lock an organization, as accepting an invitation does.
  if (ctx.bootstrap.mayCreate()) await lockMembershipsOf(trx, actor.userId);
  const results: EventResult[] = new Array(events.length);
  // Request order, but a creator's admin row right after its organization's INSERT; answers stay in request order.
  const order = bootstrapOrder(sent, actor);
  for (const index of order) {
    const item = events[index]!;
    const shape = shapes[index];
    // Not remembered: without a fingerprint a re-send could not be told from a reuse; it is refused again, as cheaply.
    results[index] = shape
      ? { eventId: item.eventId, ...rejectedOutcome(shape) }
      : await processEvent(ctx, item, fingerprints[index]!, validations[index]);
  }
  // An organization meant to be created whose INSERT is invalid is incomplete too, unless it already exists (then
  // its events were answered as any events of an existing organization). Organizations already refused in this run
  // are settled: only newly found ones need another run.
  const neverCreated: string[] = [];
  for (const id of ctx.bootstrap.neverCreated())
    if ((await rows.get('organizations', id)) === undefined) neverCreated.push(id);
  const incomplete = [...ctx.bootstrap.incomplete(), ...neverCreated].filter((id) => !input.doomed.has(id));
  if (incomplete.length > 0) throw new IncompleteBootstrap(incomplete);
  await rows.flushed();
  await ctx.changes.flush();
  await ledger.flush();
  await input.alsoInTransaction?.(trx);
  return { results, moved: ctx.moved };
}

async function processEvent(
  ctx: Context,
  item: PushItem,
  fingerprint: EventFingerprint,
  validation: Validation | undefined,
): Promise<EventResult> {
  const { eventId } = item;
  const seen = ctx.ledger.check(eventId, fingerprint);
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
  const { outcome, organizationId } = ctx.doomed.has(eventId)
    ? refused(
        reject(
          'bootstrap_incomplete',
          "The organization was not created: its creator's admin membership in this push was refused.",
        ),
        null,
      )
    : await decide(ctx, validation ?? validateEvent(item.raw, ctx.schemaVersion));
  ctx.ledger.remember({ eventId, organizationId, fingerprint, outcome });
  return { eventId, ...outcome };
}

async function decide(ctx: Context, validation: Validation): Promise<Decided> {
  if (validation.kind === 'rejected') return refused(validation, null);
  const event = validation.event;

  for (let attempt = 1; ; attempt++) {
    const result = await decideOnce(ctx, event, attempt);
    if (result !== 'lost_race') return result;
  }
}

/**
 * One pass from the stored row to the applied change. `lost_race` means the
 * row changed between reading and writing it (another connection committed
 * first); the next pass starts again from the new stored row, scope and
 * access included, since an INSERT may now meet a row of another organization.
 */
async function decideOnce(ctx: Context, event: ValidEvent, attempt: number): Promise<Decided | 'lost_race'> {
  const { rows, actor, now, bootstrap } = ctx;
  // After a lost race the batch's copy is stale: read the row again.
  const stored =
    attempt === 1 ? await rows.get(event.table, event.recordId) : await rows.reload(event.table, event.recordId);
  const scope = await resolveScope(rows, { event, stored });
  if (scope.kind === 'rejected') return refused(scope, null);
  const scoped = { ...event, organizationId: scope.organizationId };
  const access = await checkAccess(ctx.roles, { event: scoped, stored, bootstrap, actorId: actor.userId });
  if (access.kind === 'rejected') return refused(access, scoped.organizationId);
  // Checked only now, so a tombstone of another organization answers `forbidden` like a live row.
  if (stored?.deleted && event.op !== 'INSERT')
    return refused(reject('not_found', `This ${event.spec.label} has been deleted.`), scoped.organizationId);

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

  // Older clients' vitals are mapped to codes here, so every step after this one sees coded data.
  const clinical = await checkClinical(rows, { event: scoped, stored, schemaVersion: ctx.schemaVersion, now });
  if (clinical.kind === 'rejected') return refused(clinical, scoped.organizationId);
  const checked = clinical.event;

  const integrity = await checkIntegrity(rows, {
    event: checked,
    stored,
    ownAdminRow: bootstrap.isOwnAdminRow(checked),
  });
  if (integrity.kind === 'rejected') return refused(integrity, scoped.organizationId);

  const applied = await applyEvent(rows, { event: checked, stored, actor, now });
  if (applied.kind === 'lost_race') {
    if (attempt < APPLY_ATTEMPTS) return 'lost_race';
    // Only an UPDATE or DELETE gets here (a lost INSERT race fails the batch's INSERT and reruns the batch), and
    // its row cannot leave the organization whose access was just checked, so showing it leaks nothing.
    const current = await rows.reload(event.table, event.recordId);
    const visible = event.op !== 'INSERT' && current !== undefined;
    return {
      outcome: {
        status: 'conflict',
        serverVersion: current?.version ?? 0,
        serverRecord: visible ? toServerRecord(current, event.table, ctx.schemaVersion) : null,
        fields: Object.keys(event.data),
      },
      organizationId: scoped.organizationId,
    };
  }
  ctx.changes.record({ event: checked, before: applied.before, after: applied.after, actor, now });
  ctx.moved.add(scoped.organizationId);
  // The person whose membership changed may not wait on this organization yet (just added) or any more.
  if (event.table === 'members' && typeof applied.after.values.user_id === 'string')
    ctx.moved.add(applied.after.values.user_id);
  // The actor's roles there may have changed: read them again for the next event of that organization.
  if (event.table === 'members') ctx.roles.forget(scoped.organizationId);
  // A person who stops being an admin takes back the invitations they left pending (withdraw-invitations.ts).
  if (event.table === 'members')
    await withdrawInvitationsOfFormerAdmin(rows, {
      organizationId: scoped.organizationId,
      before: stored,
      after: applied.after,
      actorId: actor.userId,
      now,
    });
  if (event.table === 'organizations' && event.op === 'INSERT') bootstrap.markCreated(event.recordId);
  bootstrap.markApplied(scoped);
  if (event.table === 'organizations' && event.op === 'DELETE') {
    for (const userId of await endMemberships(rows, ctx.changes, { deletion: scoped, actor, now }))
      ctx.moved.add(userId);
    ctx.roles.forget(scoped.organizationId);
  }
  return { outcome: { status: 'applied', version: applied.after.version }, organizationId: scoped.organizationId };
}

function refused(rejection: Rejection, organizationId: string | null): Decided {
  return { outcome: rejectedOutcome(rejection), organizationId };
}

function rejectedOutcome(
  rejection: Pick<Rejection, 'code' | 'message' | 'details'>,
): Extract<OriginalOutcome, { status: 'rejected' }> {
  const { code, message, details } = rejection;
  return details === undefined
    ? { status: 'rejected', code, message }
    : { status: 'rejected', code, message, details: { ...details } };
}
