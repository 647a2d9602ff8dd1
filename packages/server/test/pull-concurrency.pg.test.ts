/**
 * THE pull guarantee (PROTOCOL §4): a pulling device never skips a committed
 * change, also while several devices push concurrently through two server
 * instances sharing one PostgreSQL database. Change-log seqs are allocated
 * under a lock held until commit, so a transaction holding a lower seq can
 * never commit after a higher one was read; if that ever broke, the puller's
 * accumulated state would miss a version and this test would say which.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TABLES, type TableName } from '@clinicsync/protocol';
import { signUp, type SignedUpUser } from './support/accounts.ts';
import { freshPostgresDatabase, requirePostgres } from './support/dialects.ts';
import { call } from './support/http-client.ts';
import { startServerProcess, type ServerProcess } from './support/server-process.ts';
import { appliedVersion, SimDevice } from './support/sim-device.ts';
import { accept, insertEvent, invite, updateEvent, type PushEvent } from './support/orgs.ts';

type Change = {
  table: string;
  recordId: string;
  op: 'UPSERT' | 'DELETE';
  version: number;
  organizationId: string;
  data: Record<string, unknown> | null;
};
type Held = { version: number; op: 'UPSERT' | 'DELETE'; data: Record<string, unknown> | null };

const WRITERS = 4;
const WRITE_FOR_MS = 4_000;
const SYNCED_IN_TEST: readonly TableName[] = ['organizations', 'teams', 'members', 'patients'];

const pgUrl = requirePostgres();

describe.skipIf(!pgUrl)('pull while devices push concurrently through two instances on one PostgreSQL', () => {
  let databaseUrl: string;
  let servers: ServerProcess[] = [];
  const urls = () => servers.map((s) => s.url);

  beforeAll(async () => {
    databaseUrl = await freshPostgresDatabase();
    // One after the other: the second finds the schema migrated.
    servers.push(await startServerProcess({ db: databaseUrl }));
    servers.push(await startServerProcess({ db: databaseUrl }));
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    servers = [];
  });

  it('leaves the pulling device with exactly the server state: no skipped, lost or stale change', {
    timeout: 120_000,
  }, async () => {
    const admin = await signUp(urls()[0]!);
    const organizationId = randomUUID();
    const adminDevice = new SimDevice(admin, urls);
    expectApplied(
      await adminDevice.push([
        insertEvent('organizations', { name: 'Concurrency Clinic' }, organizationId),
        insertEvent('members', { organization_id: organizationId, user_id: admin.userId, role: 'admin' }),
        insertEvent('teams', { organization_id: organizationId, name: 'Ward' }),
      ]),
    );
    const writers: SignedUpUser[] = [];
    for (let i = 0; i < WRITERS; i++) writers.push(await signUp(urls()[i % 2]!));
    const reader = await signUp(urls()[1]!);
    for (const u of [...writers, reader])
      await accept(urls()[0]!, u, await invite(urls()[0]!, admin, organizationId, u.email, 'clinician'));

    const until = Date.now() + WRITE_FOR_MS;
    let writing = true;
    const writes = Promise.all(
      writers.map((w, i) => writeUntil(new SimDevice(w, urls), organizationId, until, i)),
    ).finally(() => {
      writing = false;
    });

    // The reader pulls over and over, alternating instances, with small random pages.
    const held = new Map<string, Held>();
    let cursor: string | undefined;
    let pulls = 0;
    const applyPage = (changes: readonly Change[]) => {
      for (const change of changes) {
        expect(change.organizationId).toBe(organizationId);
        const key = `${change.table}/${change.recordId}`;
        const before = held.get(key);
        // One row per record in the log: a record comes again only with a newer version.
        if (before) expect(change.version, key).toBeGreaterThan(before.version);
        held.set(key, { version: change.version, op: change.op, data: change.data });
      }
    };
    while (writing) {
      const page = await pullPage(urls()[pulls % 2]!, reader, cursor, 1 + (pulls % 40));
      pulls++;
      applyPage(page.changes);
      cursor = page.cursor;
    }
    await writes;
    // Everything is acknowledged now: drain through both instances.
    for (let hasMore = true, i = 0; hasMore; i++) {
      const page = await pullPage(urls()[i % 2]!, reader, cursor, 500);
      applyPage(page.changes);
      cursor = page.cursor;
      hasMore = page.hasMore;
    }

    const server = await readServerState(databaseUrl, organizationId);
    expect(pulls).toBeGreaterThan(10);
    expect(server.size).toBeGreaterThan(50);
    const problems: string[] = [];
    for (const [key, row] of server) {
      const mine = held.get(key);
      if (!mine) problems.push(`${key}: never received`);
      else if (mine.version !== row.version) problems.push(`${key}: holds v${mine.version}, server v${row.version}`);
      else if (mine.op !== row.op) problems.push(`${key}: holds ${mine.op}, server ${row.op}`);
      else if (row.op === 'UPSERT') {
        for (const [column, value] of Object.entries(row.data!)) {
          if ((mine.data?.[column] ?? null) !== value) problems.push(`${key}.${column} differs`);
        }
      }
    }
    for (const key of held.keys()) if (!server.has(key)) problems.push(`${key}: not on the server`);
    expect(problems).toEqual([]);
  });
});

function expectApplied(results: readonly { status: string }[]): void {
  for (const r of results) expect(r.status, JSON.stringify(r)).toBe('applied');
}

/** One writer: inserts patients, edits and deletes some of its own, until `until`. */
async function writeUntil(device: SimDevice, organizationId: string, until: number, seed: number): Promise<void> {
  const versions = new Map<string, number>();
  let round = 0;
  while (Date.now() < until) {
    const events: PushEvent[] = [];
    for (let i = 0; i < 1 + ((round + seed) % 3); i++) {
      events.push(
        insertEvent('patients', {
          organization_id: organizationId,
          given_name: `W${seed}`,
          family_name: `R${round}-${i}`,
        }),
      );
    }
    const own = [...versions.keys()];
    for (const recordId of own.slice(-2))
      events.push(updateEvent('patients', recordId, versions.get(recordId)!, { phone: `${seed}-${round}` }));
    if (round % 4 === 3 && own.length > 3) {
      const victim = own[0]!;
      events.push({
        eventId: randomUUID(),
        table: 'patients',
        op: 'DELETE',
        recordId: victim,
        baseVersion: versions.get(victim)!,
        createdAt: new Date().toISOString(),
      });
    }
    const results = await device.push(events, { deadline: Date.now() + 60_000 });
    results.forEach((result, i) => {
      const event = events[i]!;
      const version = appliedVersion(result);
      if (version === undefined) throw new Error(`event refused: ${JSON.stringify(result)}`);
      if (event.op === 'DELETE') versions.delete(event.recordId);
      else versions.set(event.recordId, version);
    });
    round++;
  }
}

async function pullPage(base: string, user: SignedUpUser, cursor: string | undefined, limit: number) {
  const params = new URLSearchParams({ deviceId: user.deviceId, schemaVersion: '1', limit: String(limit) });
  if (cursor) params.set('cursor', cursor);
  const res = await call<{ changes: Change[]; cursor: string; hasMore: boolean }>(
    base,
    'GET',
    `/v1/sync/pull?${params}`,
    { token: user.syncToken },
  );
  if (res.status !== 200) throw new Error(`pull answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

/** The organization's rows as stored, keyed `table/id`: version, tombstone, registry columns. */
async function readServerState(
  databaseUrl: string,
  organizationId: string,
): Promise<Map<string, { version: number; op: 'UPSERT' | 'DELETE'; data: Record<string, unknown> | null }>> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const state = new Map<string, { version: number; op: 'UPSERT' | 'DELETE'; data: Record<string, unknown> | null }>();
    for (const table of SYNCED_IN_TEST) {
      const scope = table === 'organizations' ? 'id' : 'organization_id';
      const { rows } = await client.query(`select * from ${table} where ${scope} = $1`, [organizationId]);
      for (const row of rows) {
        const deleted = Number(row.deleted) === 1;
        const data = Object.fromEntries(Object.keys(TABLES[table].columns).map((c) => [c, row[c] ?? null]));
        state.set(`${table}/${row.id}`, {
          version: Number(row.version),
          op: deleted ? 'DELETE' : 'UPSERT',
          data: deleted ? null : data,
        });
      }
    }
    return state;
  } finally {
    await client.end();
  }
}
