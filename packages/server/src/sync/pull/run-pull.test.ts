import { ApiError, type PullQuery, type PullResponse } from '@clinicsync/protocol';
import type { KyselyPlugin } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/support/dialects.ts';
import { testDeps, type TestDeps } from '../../../test/support/test-deps.ts';
import type { SyncActor } from '../../app-env.ts';
import { createCursorCodec, type CursorPosition } from './cursor.ts';
import { readPullPages, runPull, type PageOutcome, type PageRequest, type PullDeps } from './run-pull.ts';

// The pull pipeline over rows written straight into the tables, as push leaves them.
let n = 0;
const uuid = () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;

describeEachDialect('runPull', (dialect) => {
  let deps: TestDeps;
  let pull: PullDeps;
  beforeAll(async () => {
    deps = await testDeps({ url: await dialect.databaseUrl() });
    pull = { db: deps.db, clock: deps.clock, cursors: createCursorCodec(deps.secrets.cursorKey) };
  });
  afterAll(() => deps.database.close());

  let alice: SyncActor;
  let orgA: string;
  let orgB: string;
  beforeEach(async () => {
    alice = await addUser();
    orgA = uuid();
    orgB = uuid();
  });

  async function addUser(): Promise<SyncActor> {
    const userId = uuid();
    const deviceId = uuid();
    await deps.db
      .insertInto('users')
      .values({ id: userId, email: `${userId}@example.test`, name: 'U', password_hash: 'x', created_at: 'now' })
      .execute();
    await deps.db
      .insertInto('devices')
      .values({ user_id: userId, device_id: deviceId, device_name: 'd', sync_token_hash: userId, created_at: 'now' })
      .execute();
    return { kind: 'sync', userId, deviceId };
  }

  /** Writes a change the way push does: one change-log row per record, renumbered on every change. */
  async function change(
    organizationId: string,
    recordId: string,
    version: number,
    op: 'UPSERT' | 'DELETE' = 'UPSERT',
    table = 'patients',
  ) {
    const current = await deps.db
      .selectFrom('org_seq')
      .select('last_seq')
      .where('organization_id', '=', organizationId)
      .executeTakeFirst();
    const seq = Number(current?.last_seq ?? 0) + 1;
    if (current)
      await deps.db
        .updateTable('org_seq')
        .set({ last_seq: seq })
        .where('organization_id', '=', organizationId)
        .execute();
    else await deps.db.insertInto('org_seq').values({ organization_id: organizationId, last_seq: seq }).execute();
    await deps.db.deleteFrom('change_log').where('table_name', '=', table).where('record_id', '=', recordId).execute();
    await deps.db
      .insertInto('change_log')
      .values({
        organization_id: organizationId,
        seq,
        table_name: table,
        record_id: recordId,
        version,
        op,
      })
      .execute();
    // The log names the record; pull reads its state from the table.
    const row = {
      version,
      updated_at: 'now',
      updated_by: 'u',
      deleted: op === 'DELETE' ? 1 : 0,
      field_versions: '{}',
      organization_id: organizationId,
      given_name: `v${version}`,
    };
    await deps.db
      .insertInto('patients')
      .values({ id: recordId, ...row })
      .onConflict((oc) => oc.column('id').doUpdateSet(row))
      .execute();
  }

  async function join(actor: SyncActor, organizationId: string): Promise<string> {
    const id = uuid();
    await deps.db
      .insertInto('members')
      .values({
        id,
        version: 1,
        updated_at: 'now',
        updated_by: actor.userId,
        deleted: 0,
        field_versions: '{}',
        organization_id: organizationId,
        user_id: actor.userId,
        role: 'clinician',
      })
      .execute();
    return id;
  }

  async function leave(membershipId: string) {
    await deps.db.updateTable('members').set({ deleted: 1 }).where('id', '=', membershipId).execute();
  }

  const query = (actor: SyncActor, extra: Partial<PullQuery> = {}) =>
    ({ deviceId: actor.deviceId, schemaVersion: 1, limit: 1000, ...extra }) as PullQuery;

  async function refusal(promise: Promise<unknown>): Promise<{ code: string; details: unknown }> {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ApiError);
    return { code: (error as ApiError).code, details: (error as ApiError).details };
  }

  const records = (res: PullResponse) => res.changes.map((c) => `${c.recordId}@${c.version}:${c.op}`);

  it('sends a newly joined organization from its beginning, latest state once per record', async () => {
    await change(orgA, 'r1', 1);
    await change(orgA, 'r2', 1);
    await change(orgA, 'r1', 2);
    await change(orgA, 'r2', 2, 'DELETE');
    await join(alice, orgA);
    const res = await runPull(pull, alice, query(alice));
    expect(records(res)).toEqual(['r1@2:UPSERT', 'r2@2:DELETE']);
    expect(res.changes[0]).toMatchObject({
      table: 'patients',
      organizationId: orgA,
      data: { given_name: 'v2', organization_id: orgA },
    });
    expect(res.changes[1]!.data).toBeNull();
    expect(res).toMatchObject({ hasMore: false, revokedOrganizations: [] });
  });

  it('continues from the cursor: only what changed since', async () => {
    await join(alice, orgA);
    await change(orgA, 'r1', 1);
    const first = await runPull(pull, alice, query(alice));
    await change(orgA, 'r2', 1);
    await change(orgA, 'r1', 2);
    const second = await runPull(pull, alice, query(alice, { cursor: first.cursor }));
    expect(records(second)).toEqual(['r2@1:UPSERT', 'r1@2:UPSERT']);
    const third = await runPull(pull, alice, query(alice, { cursor: second.cursor }));
    expect(third.changes).toEqual([]);
  });

  it('never sends rows of an organization the user does not belong to', async () => {
    await join(alice, orgA);
    await change(orgA, 'mine', 1);
    await change(orgB, 'theirs', 1);
    const res = await runPull(pull, alice, query(alice));
    expect(res.changes.map((c) => c.organizationId)).toEqual([orgA]);
  });

  it('ignores a validly signed position for an organization the user never joined, and reports it revoked', async () => {
    await join(alice, orgA);
    await change(orgB, 'theirs', 1);
    const planted = await pull.cursors.encode(alice, {
      schemaVersion: 1,
      positions: [{ organizationId: orgB, membershipId: uuid(), seq: 0 }],
    });
    const res = await runPull(pull, alice, query(alice, { cursor: planted }));
    expect(res.changes).toEqual([]);
    expect(res.revokedOrganizations).toEqual([orgB]);
  });

  it('reports a removal once, drops the organization and sends none of its later rows', async () => {
    const membership = await join(alice, orgA);
    await change(orgA, 'r1', 1);
    const before = await runPull(pull, alice, query(alice));
    await leave(membership);
    await change(orgA, 'after-removal', 1);
    const removed = await runPull(pull, alice, query(alice, { cursor: before.cursor }));
    expect(removed).toMatchObject({ changes: [], revokedOrganizations: [orgA] });
    // A lost answer is answered again from the old cursor.
    expect((await runPull(pull, alice, query(alice, { cursor: before.cursor }))).revokedOrganizations).toEqual([orgA]);
    const next = await runPull(pull, alice, query(alice, { cursor: removed.cursor }));
    expect(next).toMatchObject({ changes: [], revokedOrganizations: [] });
  });

  it('restarts an organization at 0 when the user is removed and added again, even between two pulls', async () => {
    const membership = await join(alice, orgA);
    await change(orgA, 'r1', 1);
    await change(orgA, 'r2', 1);
    const before = await runPull(pull, alice, query(alice));
    await leave(membership);
    await join(alice, orgA);
    const again = await runPull(pull, alice, query(alice, { cursor: before.cursor }));
    expect(records(again)).toEqual(['r1@1:UPSERT', 'r2@1:UPSERT']);
    expect(again.revokedOrganizations).toEqual([]);
  });

  it('pages with any limit: every record exactly once at its latest version, hasMore until the end', async () => {
    await join(alice, orgA);
    await join(alice, orgB);
    for (let i = 0; i < 12; i++) await change(i % 3 === 0 ? orgB : orgA, `p${i}`, 1);
    for (let v = 2; v <= 10; v++) await change(orgA, 'p1', v);
    await change(orgB, 'p3', 2, 'DELETE');
    for (const limit of [1, 2, 7]) {
      const seen: string[] = [];
      let cursor: PullQuery['cursor'];
      for (let page = 0; page < 50; page++) {
        const res = await runPull(pull, alice, query(alice, { limit, ...(cursor ? { cursor } : {}) }));
        expect(res.changes.length).toBeLessThanOrEqual(limit);
        seen.push(...records(res));
        cursor = res.cursor;
        if (!res.hasMore) break;
      }
      expect(seen.length, `limit ${limit}`).toBe(12);
      expect(new Set(seen).size).toBe(12);
      expect(seen).toContain('p1@10:UPSERT');
      expect(seen).toContain('p3@2:DELETE');
    }
  });

  it('refuses a pull for another device than the token', async () => {
    expect(
      (await refusal(runPull(pull, alice, query(alice, { deviceId: uuid() as PullQuery['deviceId'] })))).code,
    ).toBe('forbidden');
  });

  it('refuses a client schema version below the oldest supported', async () => {
    expect((await refusal(runPull(pull, alice, query(alice, { schemaVersion: 0 })))).code).toBe(
      'schema_upgrade_required',
    );
  });

  it('refuses a cursor issued to another user as cursor_invalid', async () => {
    const bob = await addUser();
    await join(bob, orgA);
    const bobs = await runPull(pull, bob, query(bob));
    expect(await refusal(runPull(pull, alice, query(alice, { cursor: bobs.cursor })))).toEqual({
      code: 'cursor_invalid',
      details: { reason: 'foreign' },
    });
  });

  it('refuses a tampered cursor as cursor_invalid', async () => {
    await join(alice, orgA);
    const res = await runPull(pull, alice, query(alice));
    const tampered = `${res.cursor.slice(0, -2)}${res.cursor.endsWith('AA') ? 'BA' : 'AA'}` as PullQuery['cursor'];
    expect((await refusal(runPull(pull, alice, query(alice, { cursor: tampered })))).code).toBe('cursor_invalid');
  });

  it('refuses a cursor ahead of the change log (database restored from an older backup)', async () => {
    const membership = await join(alice, orgA);
    await change(orgA, 'r1', 1);
    const future = await pull.cursors.encode(alice, {
      schemaVersion: 1,
      positions: [{ organizationId: orgA, membershipId: membership, seq: 2 }],
    });
    expect(await refusal(runPull(pull, alice, query(alice, { cursor: future })))).toEqual({
      code: 'cursor_invalid',
      details: { reason: 'ahead_of_log' },
    });
  });

  it('refuses a cursor issued for another schema version, so an upgraded client refetches the new columns', async () => {
    const other = await pull.cursors.encode(alice, { schemaVersion: 2, positions: [] });
    expect(await refusal(runPull(pull, alice, query(alice, { cursor: other })))).toEqual({
      code: 'cursor_invalid',
      details: { reason: 'schema_version_changed' },
    });
  });

  it('notes the pull time on the device', async () => {
    deps.clock.set('2026-03-04T05:06:07.000Z');
    await runPull(pull, alice, query(alice));
    const device = await deps.db
      .selectFrom('devices')
      .select('last_pull_at')
      .where('user_id', '=', alice.userId)
      .executeTakeFirstOrThrow();
    expect(device.last_pull_at).toBe('2026-03-04T05:06:07.000Z');
  });

  describe('readPullPages: many devices in one snapshot', () => {
    async function positionsOf(actor: SyncActor, cursor: string): Promise<readonly CursorPosition[]> {
      const decoded = await pull.cursors.decode(actor, cursor);
      if (decoded.kind !== 'valid') throw new Error(`cursor ${decoded.reason}`);
      return decoded.state.positions;
    }

    /** A device that pulled to the end with `options`, as a shared-read request and the query a lone pull would send. */
    async function caughtUp(actor: SyncActor, options: { limit?: number; schemaVersion?: number } = {}) {
      const shape = { limit: options.limit ?? 1000, schemaVersion: options.schemaVersion ?? 1 };
      let cursor: PullQuery['cursor'];
      for (;;) {
        const res = await runPull(pull, actor, query(actor, { ...shape, ...(cursor ? { cursor } : {}) }));
        cursor = res.cursor;
        if (!res.hasMore) break;
      }
      const request: PageRequest = { actor, ...shape, from: await positionsOf(actor, cursor) };
      return { request, query: query(actor, { ...shape, cursor }) };
    }

    const page = (outcome: PageOutcome | undefined) => {
      if (outcome?.kind !== 'page') throw new Error(`expected a page, got ${outcome?.kind}`);
      return outcome.page.response;
    };

    /** Counts the change-log reads of everything run through the returned deps. */
    function countingLogReads(): { deps: PullDeps; reads: () => number } {
      let reads = 0;
      const plugin: KyselyPlugin = {
        transformQuery(args) {
          if (args.node.kind === 'SelectQueryNode' && JSON.stringify(args.node.from).includes('"change_log"')) reads++;
          return args.node;
        },
        transformResult: async (args) => args.result,
      };
      return { deps: { ...pull, db: deps.db.withPlugin(plugin) }, reads: () => reads };
    }

    it('gives each device exactly the page it would get alone: its memberships, positions, limit, schema version, cursor', async () => {
      const bob = await addUser();
      const carol = await addUser();
      const dave = await addUser();
      await join(alice, orgA);
      await join(alice, orgB);
      const bobInA = await join(bob, orgA);
      await join(carol, orgB);
      await join(dave, orgA);
      await change(orgA, 'a1', 1);
      await change(orgB, 'b1', 1);
      const devices = [
        await caughtUp(alice),
        await caughtUp(bob),
        await caughtUp(carol, { schemaVersion: 3 }),
        await caughtUp(dave, { limit: 1 }),
      ];
      // What the waiting devices are woken for: new rows in both organizations, and bob removed from A meanwhile.
      await change(orgA, 'a2', 1);
      await change(orgA, 'a1', 2);
      await change(orgB, 'b2', 1);
      await leave(bobInA);
      const outcomes = await readPullPages(
        pull,
        devices.map((d) => d.request),
      );
      const alone = await Promise.all(devices.map((d) => runPull(pull, d.request.actor, d.query)));
      expect(outcomes.map(page)).toEqual(alone);
      // And what they are: the checks above compare against the lone pull, these say it is the right page.
      expect(records(alone[0]!)).toEqual(['a2@1:UPSERT', 'a1@2:UPSERT', 'b2@1:UPSERT']);
      expect(alone[1]).toMatchObject({ changes: [], revokedOrganizations: [orgA] });
      expect(records(alone[2]!)).toEqual(['b2@1:UPSERT']);
      expect(alone[3]).toMatchObject({ hasMore: true });
      expect(records(alone[3]!)).toEqual(['a2@1:UPSERT']);
    });

    it('reads the change log once for the devices at the same position, once more for another', async () => {
      const bob = await addUser();
      const carol = await addUser();
      await join(alice, orgA);
      await join(bob, orgA);
      await join(carol, orgA);
      await change(orgA, 'r1', 1);
      const behind = await caughtUp(carol);
      await change(orgA, 'r2', 1);
      const devices = [await caughtUp(alice), await caughtUp(bob)];
      await change(orgA, 'r3', 1);
      const counting = countingLogReads();
      const outcomes = await readPullPages(counting.deps, [...devices.map((d) => d.request), behind.request]);
      expect(counting.reads()).toBe(2);
      expect(outcomes.map((o) => records(page(o)))).toEqual([
        ['r3@1:UPSERT'],
        ['r3@1:UPSERT'],
        ['r2@1:UPSERT', 'r3@1:UPSERT'],
      ]);
      // Each device still gets a cursor of its own.
      const cursors = outcomes.map((o) => page(o).cursor);
      expect(new Set(cursors).size).toBe(3);
      expect(await positionsOf(alice, cursors[0]!)).toHaveLength(1);
    });

    it('refuses what admit refuses and a cursor ahead of the log, and reads the others', async () => {
      const bob = await addUser();
      const membership = await join(alice, orgA);
      await join(bob, orgA);
      await change(orgA, 'r1', 1);
      const ahead: PageRequest = {
        actor: alice,
        schemaVersion: 1,
        limit: 1000,
        from: [{ organizationId: orgA, membershipId: membership, seq: 5 }],
      };
      const fine: PageRequest = { actor: bob, schemaVersion: 1, limit: 1000, from: [] };
      const revoked = { ...fine };
      const outcomes = await readPullPages(pull, [ahead, fine, revoked], {
        admit: async (_trx, requests) =>
          requests.map((r) => (r === revoked ? new ApiError('token_revoked', 'revoked') : undefined)),
      });
      expect(outcomes.map((o) => (o.kind === 'refused' ? o.error.code : o.kind))).toEqual([
        'cursor_invalid',
        'page',
        'token_revoked',
      ]);
      expect(records(page(outcomes[1]))).toContain('r1@1:UPSERT');
    });

    it('defers a request whose page no longer fits the byte budget, never the first nor a page already read', async () => {
      const bob = await addUser();
      await join(alice, orgA);
      await join(bob, orgA);
      await change(orgA, 'r1', 1);
      const from = (actor: SyncActor): PageRequest => ({ actor, schemaVersion: 1, limit: 1000, from: [] });
      const other: PageRequest = { ...from(bob), limit: 1 };
      const outcomes = await readPullPages(pull, [from(alice), from(bob), other], { maxBytes: 1 });
      expect(outcomes.map((o) => o.kind)).toEqual(['page', 'page', 'deferred']);
    });

    it('reads at most maxPages distinct pages, deferring the requests that need another, never one a page already read serves', async () => {
      await join(alice, orgA);
      await change(orgA, 'r1', 1);
      const limited = (limit: number): PageRequest => ({ actor: alice, schemaVersion: 1, limit, from: [] });
      const outcomes = await readPullPages(pull, [limited(1), limited(2), limited(3), limited(1), limited(4)], {
        maxPages: 2,
      });
      expect(outcomes.map((o) => o.kind)).toEqual(['page', 'page', 'deferred', 'page', 'deferred']);
    });
  });
});
