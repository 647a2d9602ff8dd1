/**
 * Property: several devices editing shared patients offline, over a network
 * that drops requests and answers, with the server restarted (or killed)
 * mid-run, end up with exactly the server's state; every acknowledged write
 * is on the server exactly once; every edit ends applied, in the conflict
 * inbox or in the dead letters; and no applied edit overwrote a value its
 * author had not seen (nothing silently lost). Conflicts are resolved at
 * random with all three resolutions while faults happen, and every
 * resolution's event reaches the server and ends applied with exactly the
 * chosen values, or visible (conflict inbox, dead letters).
 *
 * `convergenceSuite('sqlite')` runs it on one server on SQLite;
 * `convergenceSuite('postgres')` on two server instances over one PostgreSQL
 * database, the third device on the second instance (the first one is the
 * one restarted).
 */
import fc from 'fast-check';
import type { OriginalOutcome, PushRequest, PushResponse, SyncEvent } from '@clinicsync/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../../../test/support/temp-dir.ts';
import { freshPostgresDatabase, requirePostgres } from '../../../server/test/support/dialects.ts';
import { signUp, type SignedUpUser } from '../../../server/test/support/accounts.ts';
import { call } from '../../../server/test/support/http-client.ts';
import { addMember, createOrganization, insertEvent, pushApplied, rows } from '../../../server/test/support/orgs.ts';
import { startServerProcess, type ServerProcess } from '../../../server/test/support/server-process.ts';
import { LocalValidationError, NotFoundError, openSyncEngine, type Row, type SyncEngine } from '../../src/index.ts';
import { openBetterSqlite3 } from '../../src/store/better-sqlite3-database.ts';
import type { SqliteDatabase } from '../../src/store/sqlite-database.ts';

const ROLES = ['admin', 'clinician', 'receptionist'] as const;
const FIELDS = ['phone', 'notes', 'address', 'given_name', 'family_name'] as const;
const DATA_COLUMNS = ['organization_id', 'given_name', 'family_name', 'birth_date', 'sex', 'phone', 'address', 'notes'];

type Fault = 'none' | 'drop_request' | 'drop_response';
type Command =
  | { kind: 'edit'; client: number; target: number; field: (typeof FIELDS)[number]; value: string }
  | { kind: 'insert_patient'; client: number; name: string }
  | { kind: 'insert_vital'; client: number; target: number; value: number }
  | { kind: 'delete'; client: number; target: number }
  | { kind: 'sync'; client: number }
  | { kind: 'toggle_offline'; client: number }
  | { kind: 'resolve'; client: number; choice: Resolution; value: string };
type Resolution = 'keep_mine' | 'take_theirs' | 'merge';
type Scenario = {
  commands: Command[];
  faults: Fault[][];
  restartAt: number;
  downFor: number;
  restartBy: 'stop' | 'kill';
  restartDuringSync: boolean;
  /** How the users settle the conflicts still open after the network heals. */
  finalResolutions: Resolution[];
};

const client = fc.integer({ min: 0, max: 2 });
const value = fc.constantFrom('Ann', 'Bea', 'Cy', 'Dee', 'Eve');
const command: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant('edit' as const),
      client,
      target: fc.nat(),
      field: fc.constantFrom(...FIELDS),
      value,
    }),
  },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('sync' as const), client }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('insert_patient' as const), client, name: value }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('insert_vital' as const),
      client,
      target: fc.nat(),
      value: fc.integer({ min: 30, max: 200 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), client, target: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('toggle_offline' as const), client }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('resolve' as const),
      client,
      choice: fc.constantFrom('keep_mine' as const, 'take_theirs' as const, 'merge' as const),
      value,
    }),
  },
);
const fault = fc.oneof(
  { weight: 3, arbitrary: fc.constant<Fault>('none') },
  fc.constant<Fault>('drop_request'),
  fc.constant<Fault>('drop_response'),
);
const scenario: fc.Arbitrary<Scenario> = fc.record({
  commands: fc.array(command, { minLength: 8, maxLength: 30 }),
  faults: fc.array(fc.array(fault, { minLength: 1, maxLength: 8 }), { minLength: 3, maxLength: 3 }),
  restartAt: fc.nat(),
  downFor: fc.integer({ min: 1, max: 4 }),
  restartBy: fc.constantFrom('stop' as const, 'kill' as const),
  restartDuringSync: fc.boolean(),
  finalResolutions: fc.array(fc.constantFrom<Resolution>('keep_mine', 'take_theirs', 'merge'), {
    minLength: 1,
    maxLength: 6,
  }),
});

/** One device in a run: its engine, its network, and what it sent and heard back. */
type Device = {
  user: SignedUpUser;
  engine: SyncEngine;
  db: SqliteDatabase;
  offline: boolean;
  faults: Fault[];
  faultIndex: number;
  healing: boolean;
  sent: Map<string, SyncEvent>;
  /** The last outcome this device received for each event (a dropped answer is not received). */
  outcomes: Map<string, OriginalOutcome>;
  /** For each UPDATE/DELETE the device made: per field it writes, the values its user saw when making it. */
  seen: Map<string, Record<string, unknown[]>>;
  resolved: Set<string>;
  /** The event each resolution queued, with what it was meant to write (checked against the audit trail). */
  resolutionEvents: Map<string, { choice: Resolution; data: Record<string, unknown> | null }>;
};

let dataDir: string;
let port: number;
let server: ServerProcess;
/** PostgreSQL: the database both instances share, and the second instance (never restarted). */
let dbUrl: string | undefined;
let second: ServerProcess | undefined;
let admin: SignedUpUser;
let users: SignedUpUser[];

function startFirst(): Promise<ServerProcess> {
  return startServerProcess({ dataDir, port, ...(dbUrl ? { db: dbUrl } : {}) });
}

/** Device `index` talks to the second instance when there is one (the third device), else to the first. */
function serverUrlOf(index: number): string {
  return second && index === 2 ? second.url : `http://127.0.0.1:${port}`;
}

/** A fetch that can be offline, lose a request before it leaves, or lose the answer after the server acted. */
function networkOf(device: () => Device): typeof fetch {
  return async (input, init) => {
    const d = device();
    if (d.offline && !d.healing) throw new TypeError('fetch failed: offline');
    const fault = d.healing ? 'none' : d.faults[d.faultIndex++ % d.faults.length]!;
    if (fault === 'drop_request') throw new TypeError('fetch failed: request lost');
    const res = await fetch(input, init);
    const text = await res.text();
    if (fault === 'drop_response') throw new TypeError('fetch failed: answer lost');
    if (String(input).includes('/v1/sync/push') && res.status === 200) {
      const request = JSON.parse(String(init!.body)) as PushRequest;
      for (const event of request.events) d.sent.set(event.eventId, event as SyncEvent);
      for (const result of (JSON.parse(text) as PushResponse).results) {
        d.outcomes.set(result.eventId, result.status === 'duplicate' ? result.original : (result as OriginalOutcome));
      }
    }
    return new Response(text, { status: res.status, headers: res.headers });
  };
}

function newestEvent(
  db: SqliteDatabase,
): { eventId: string; op: string; data: Record<string, unknown> | null } | undefined {
  const row = db.get('SELECT event_id, op, data FROM _outbox ORDER BY seq DESC LIMIT 1');
  return row
    ? {
        eventId: String(row.event_id),
        op: String(row.op),
        data: row.data === null ? null : JSON.parse(String(row.data)),
      }
    : undefined;
}

/** Runs a write and, when it queued an UPDATE or DELETE, remembers what its author saw of the fields it writes. */
function recordingEdit(d: Device, rowBefore: Row, write: () => void): void {
  const before = newestEvent(d.db)?.eventId;
  write();
  const event = newestEvent(d.db);
  if (!event || event.eventId === before || event.op === 'INSERT') return;
  const fields = event.op === 'DELETE' ? DATA_COLUMNS : Object.keys(event.data ?? {});
  d.seen.set(event.eventId, Object.fromEntries(fields.map((f) => [f, [rowBefore[f] ?? null]])));
}

function isRefusedLocally(error: unknown): boolean {
  return error instanceof LocalValidationError || error instanceof NotFoundError;
}

async function run(s: Scenario): Promise<void> {
  const { organizationId } = await createOrganization(server.url, admin);
  await Promise.all(users.map((u, i) => addMember(server.url, admin, organizationId, u, ROLES[i]!)));
  const patients = [
    insertEvent('patients', rows.patient(organizationId, { given_name: 'Ann' })),
    insertEvent('patients', rows.patient(organizationId, { given_name: 'Bea', phone: 'Cy' })),
  ];
  await pushApplied(server.url, admin, patients);
  const patientIds = patients.map((p) => p.recordId);

  const devices: Device[] = [];
  for (const [i, user] of users.entries()) {
    const db = openBetterSqlite3(':memory:');
    const device = {
      user,
      db,
      offline: false,
      faults: s.faults[i]!,
      faultIndex: 0,
      healing: false,
      sent: new Map(),
      outcomes: new Map(),
      seen: new Map(),
      resolved: new Set(),
      resolutionEvents: new Map(),
    } as Omit<Device, 'engine'> as Device;
    device.engine = await openSyncEngine({
      dbPath: ':memory:',
      database: db,
      serverUrl: serverUrlOf(i),
      deviceId: user.deviceId,
      getSyncToken: () => user.syncToken,
      fetch: networkOf(() => device),
      requestTimeoutMs: 10_000,
    });
    device.healing = true;
    await device.engine.syncNow();
    device.healing = false;
    devices.push(device);
  }

  try {
    const restartAt = s.restartAt % s.commands.length;
    let down = false;
    for (const [index, c] of s.commands.entries()) {
      if (index === restartAt) {
        // Stop or kill it, possibly in the middle of a sync.
        const inFlight = s.restartDuringSync ? devices[c.client]!.engine.syncNow() : Promise.resolve();
        await (s.restartBy === 'stop' ? server.stop() : server.kill());
        await inFlight;
        down = true;
      }
      if (down && index === restartAt + s.downFor) {
        server = await startFirst();
        down = false;
      }
      await apply(devices[c.client]!, c, organizationId, patientIds);
    }
    if (down) server = await startFirst();

    // Heal: everyone back online without faults and in sync; then the users settle
    // the open conflicts (which may raise new ones) and everyone syncs again.
    for (const d of devices) d.healing = true;
    await syncUntilQuiet(devices);
    let choice = 0;
    for (const d of devices) {
      for (const conflict of d.engine.conflicts()) {
        const kind = s.finalResolutions[choice++ % s.finalResolutions.length]!;
        await apply(
          d,
          { kind: 'resolve', client: 0, choice: kind, value: 'Eve' },
          organizationId,
          patientIds,
          conflict.id,
        );
      }
    }
    await syncUntilQuiet(devices);
    await check(devices, organizationId, patientIds);
  } finally {
    await Promise.all(devices.map((d) => d.engine.close()));
  }
}

/** Rounds of syncs until a whole round starts with nothing queued anywhere, so every device has pulled everything. */
async function syncUntilQuiet(devices: readonly Device[]): Promise<void> {
  for (let round = 0; round < 8; round += 1) {
    const quiet = devices.every((d) => d.engine.status().pending === 0);
    for (const d of devices) await d.engine.syncNow();
    if (quiet) return;
  }
  throw new Error('devices did not settle after 8 rounds of sync');
}

async function apply(
  d: Device,
  c: Command,
  organizationId: string,
  patientIds: string[],
  conflictId?: string,
): Promise<void> {
  const { engine } = d;
  switch (c.kind) {
    case 'edit': {
      const id = patientIds[c.target % patientIds.length]!;
      const row = engine.get('patients', id);
      if (!row) return;
      try {
        recordingEdit(d, row, () => engine.update('patients', id, { [c.field]: c.value }));
      } catch (error) {
        if (!isRefusedLocally(error)) throw error;
      }
      return;
    }
    case 'delete': {
      const id = patientIds[c.target % patientIds.length]!;
      const row = engine.get('patients', id);
      if (row) recordingEdit(d, row, () => engine.delete('patients', id));
      return;
    }
    case 'insert_patient':
      patientIds.push(
        engine.insert('patients', { organization_id: organizationId, given_name: c.name, family_name: 'Property' }).id,
      );
      return;
    case 'insert_vital': {
      const id = patientIds[c.target % patientIds.length]!;
      if (engine.get('patients', id))
        engine.insert('vitals', {
          patient_id: id,
          kind: 'heart_rate',
          value: c.value,
          unit: '/min',
          recorded_at: '2026-03-02T09:05:00Z',
        });
      return;
    }
    case 'sync':
      await engine.syncNow();
      return;
    case 'toggle_offline':
      d.offline = !d.offline;
      return;
    case 'resolve': {
      const conflict = engine.conflicts().find((x) => conflictId === undefined || x.id === conflictId);
      if (!conflict) return;
      const resolution =
        c.choice === 'merge' ? { kind: 'merge' as const, data: { phone: c.value } } : { kind: c.choice };
      let chosen: Resolution = c.choice;
      // What the store showed of the record when the person chose: the server's row with this device's own edits
      // still queued before the resolution (once those are applied the resolution is rebased onto them).
      const shown = engine.get(conflict.table, conflict.recordId);
      try {
        engine.resolveConflict(conflict.id, resolution);
      } catch (error) {
        if (!isRefusedLocally(error)) throw error;
        engine.resolveConflict(conflict.id, { kind: 'take_theirs' });
        chosen = 'take_theirs';
      }
      // The resolution's event sits where the refused one stood, based on the conflict's server version: what its
      // author saw of the fields it writes is the server row the conflict showed, or the record the store showed.
      const queued = engine.unsentResolutions().find((r) => r.conflict.id === conflict.id);
      if (queued?.eventId) {
        const event = d.db.get('SELECT op, data FROM _outbox WHERE event_id = ?', [queued.eventId]);
        const data =
          event?.data === null || event?.data === undefined
            ? null
            : (JSON.parse(String(event.data)) as Record<string, unknown>);
        const fields = event?.op === 'DELETE' ? DATA_COLUMNS : Object.keys(data ?? {});
        d.seen.set(
          queued.eventId,
          Object.fromEntries(fields.map((f) => [f, [conflict.server?.[f] ?? null, shown?.[f] ?? null]])),
        );
        d.resolutionEvents.set(queued.eventId, { choice: chosen, data });
        if (chosen === 'merge' && conflict.server && (conflict.server.phone ?? null) !== c.value)
          expect(data?.phone).toBe(c.value);
      }
      d.resolved.add(conflict.eventId);
      return;
    }
  }
}

type AuditEntry = {
  deviceId: string | null;
  table: string;
  recordId: string;
  op: string;
  version: number;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
};

async function readAudit(organizationId: string): Promise<AuditEntry[]> {
  const entries: AuditEntry[] = [];
  for (let cursor: string | null = null; ; ) {
    const res: { status: number; body: { entries: AuditEntry[]; nextCursor: string | null } } = await call(
      server.url,
      'GET',
      `/v1/orgs/${organizationId}/audit?limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      { token: admin.authToken },
    );
    expect(res.status).toBe(200);
    entries.push(...res.body.entries);
    cursor = res.body.nextCursor;
    if (!cursor) return entries;
  }
}

function storeContents(engine: SyncEngine, patientIds: readonly string[]) {
  const ids = new Set(patientIds);
  const byId = (a: Row, b: Row) => (a.id < b.id ? -1 : 1);
  return {
    patients: engine
      .list('patients')
      .filter((p) => ids.has(p.id))
      .sort(byId),
    vitals: engine
      .list('vitals')
      .filter((v) => ids.has(String(v.patient_id)))
      .sort(byId),
  };
}

async function check(devices: Device[], organizationId: string, patientIds: string[]): Promise<void> {
  // 1. Every store equals what a fresh device of the admin pulls from the server.
  const observer = await openSyncEngine({
    dbPath: ':memory:',
    serverUrl: server.url,
    deviceId: admin.deviceId,
    getSyncToken: () => admin.syncToken,
  });
  try {
    await observer.syncNow();
    expect(observer.status().phase).toBe('idle');
    const truth = storeContents(observer, patientIds);
    for (const d of devices) {
      expect(d.engine.status()).toMatchObject({ phase: 'idle', pending: 0 });
      expect(storeContents(d.engine, patientIds)).toEqual(truth);
    }
  } finally {
    await observer.close();
  }

  // 2. The audit trail: each (record, version) once, versions 1..n without gaps.
  const audit = await readAudit(organizationId);
  const key = (recordId: string, version: number) => `${recordId}@${version}`;
  const auditKeys = audit.map((e) => key(e.recordId, e.version));
  expect(new Set(auditKeys).size).toBe(auditKeys.length);
  const versions = new Map<string, number[]>();
  for (const e of audit) versions.set(e.recordId, [...(versions.get(e.recordId) ?? []), e.version]);
  for (const list of versions.values()) expect([...list].sort((a, b) => a - b)).toEqual(list.map((_, i) => i + 1));
  const stateAt = recordStates(audit, key);

  for (const d of devices) {
    // 3. Acknowledged writes are exactly this device's audit entries: none lost, none applied twice.
    const acknowledged = new Map<string, string>();
    for (const [eventId, outcome] of d.outcomes) {
      if (outcome.status !== 'applied') continue;
      const k = key(d.sent.get(eventId)!.recordId, outcome.version);
      expect(acknowledged.has(k), `two events acknowledged as ${k}`).toBe(false);
      acknowledged.set(k, eventId);
    }
    // Its membership row is the server's (written when the person accepted the invitation), not a push of this device.
    const mine = audit.filter((e) => e.deviceId === d.user.deviceId && e.table !== 'members');
    expect(mine.map((e) => key(e.recordId, e.version)).sort()).toEqual([...acknowledged.keys()].sort());

    // 4. Every event sent ended somewhere the user can see: applied, the conflict inbox or the dead letters.
    const conflicts = new Set(d.engine.conflicts().map((c) => c.eventId));
    const deadLetters = new Set(d.engine.deadLetters().map((l) => l.eventId));
    for (const eventId of d.sent.keys()) {
      const outcome = d.outcomes.get(eventId);
      expect(outcome, `event ${eventId} never settled`).toBeDefined();
      if (outcome!.status === 'conflict') expect(conflicts.has(eventId) || d.resolved.has(eventId)).toBe(true);
      if (outcome!.status === 'rejected') expect(deadLetters.has(eventId)).toBe(true);
    }

    // 6. Every resolution that had something to send reached the server, and ended applied with exactly the
    //    chosen values or visibly (a new conflict, a dead letter; both checked by 4).
    for (const [eventId, { data }] of d.resolutionEvents) {
      expect(d.sent.has(eventId), `resolution event ${eventId} never reached the server`).toBe(true);
      const outcome = d.outcomes.get(eventId);
      if (outcome?.status !== 'applied' || data === null) continue;
      const entry = mine.find((e) => e.recordId === d.sent.get(eventId)!.recordId && e.version === outcome.version);
      expect(entry, `applied resolution ${eventId} is not in the audit trail`).toBeDefined();
      const after = stateAt.get(key(entry!.recordId, entry!.version));
      for (const [field, value] of Object.entries(data))
        expect(after?.[field] ?? null, `resolution ${eventId}: ${field}`).toEqual(value);
    }

    // 5. No lost update: an applied UPDATE or DELETE found on the server exactly the values its author saw.
    for (const entry of mine) {
      if (entry.op === 'INSERT') continue;
      const eventId = acknowledged.get(key(entry.recordId, entry.version))!;
      const seen = d.seen.get(eventId);
      expect(seen, `no record of what the author of ${entry.op} ${eventId} saw`).toBeDefined();
      const before = stateAt.get(key(entry.recordId, entry.version - 1));
      for (const [field, values] of Object.entries(seen!)) {
        expect(values, `${entry.op} of ${field} overwrote a value its author never saw`).toContainEqual(
          before?.[field] ?? null,
        );
      }
    }
  }
}

/**
 * Each record's values after each of its versions, rebuilt from the audit
 * trail: an INSERT's entry holds the new row, an UPDATE's only the fields it
 * changed (an UPDATE that changed nothing holds none), a DELETE ends the row.
 */
function recordStates(
  audit: readonly AuditEntry[],
  key: (recordId: string, version: number) => string,
): Map<string, Record<string, unknown> | null> {
  const states = new Map<string, Record<string, unknown> | null>();
  for (const entry of [...audit].sort((a, b) => a.version - b.version)) {
    const previous = states.get(key(entry.recordId, entry.version - 1)) ?? null;
    states.set(
      key(entry.recordId, entry.version),
      entry.op === 'DELETE' ? null : entry.op === 'INSERT' ? { ...entry.after } : { ...previous, ...entry.after },
    );
  }
  return states;
}

const RUNS = Number(process.env.CLINICSYNC_PROPERTY_RUNS ?? 15);

/** The property, on one SQLite server or on two instances over one PostgreSQL database. */
export function convergenceSuite(backend: 'sqlite' | 'postgres'): void {
  const skip = backend === 'postgres' && !requirePostgres();
  describe.skipIf(skip)(
    `devices converging through faults, a server restart and conflicts resolved at random [${backend}]`,
    () => {
      beforeAll(async () => {
        dataDir = tempDir('convergence');
        dbUrl = backend === 'postgres' ? await freshPostgresDatabase() : undefined;
        // A worker runs several files (vitest.config.ts): no instance of an earlier suite may stay in use.
        second = undefined;
        server = await startServerProcess({ dataDir, ...(dbUrl ? { db: dbUrl } : {}) });
        port = Number(new URL(server.url).port);
        const signedUp: SignedUpUser[] = [];
        for (const i of [0, 1, 2, 3]) signedUp.push(await signUp(server.url, { name: `User ${i}` }));
        if (dbUrl)
          second = await startServerProcess({
            dataDir: tempDir('convergence-b'),
            db: dbUrl,
          });
        admin = signedUp[0]!;
        users = signedUp.slice(1);
      }, 60_000);
      afterAll(async () => {
        await server?.stop();
        await second?.stop();
      });

      it(
        'ends with every store equal to the server, nothing applied twice, nothing lost silently and every resolution on the server or visible',
        async () => {
          await fc.assert(
            fc.asyncProperty(scenario, async (s) => {
              await run(s);
            }),
            // A new seed every run, so the suite keeps exploring; a failure prints its seed and path, and
            // CLINICSYNC_PROPERTY_SEED with CLINICSYNC_PROPERTY_PATH replays it.
            {
              numRuns: RUNS,
              ...(process.env.CLINICSYNC_PROPERTY_SEED ? { seed: Number(process.env.CLINICSYNC_PROPERTY_SEED) } : {}),
              ...(process.env.CLINICSYNC_PROPERTY_PATH ? { path: process.env.CLINICSYNC_PROPERTY_PATH } : {}),
              endOnFailure: true,
            },
          );
        },
        RUNS * 30_000,
      );
    },
  );
}
