import { randomUUID } from 'node:crypto';
import { SqliteQueryCompiler, type CompiledQuery, type Transaction } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/support/dialects.ts';
import { connectDatabase, type Database } from '../../db/connect.ts';
import { migrate } from '../../db/migrate.ts';
import type { ServerDb } from '../../db/schema.ts';
import { insertRows } from './insert-rows.ts';

const CHANGE_LOG_UPSERT = {
  conflict: ['table_name', 'record_id'],
  update: ['organization_id', 'seq', 'version', 'op'],
};

describeEachDialect('insertRows', (dialect) => {
  let database: Database;
  beforeAll(async () => {
    database = connectDatabase({ url: await dialect.databaseUrl() });
    await migrate(database.db, database.caps);
  });
  afterAll(() => database.close());

  const outcome = (organizationId: string | null, n: number) => ({
    event_id: randomUUID(),
    user_id: randomUUID(),
    device_id: randomUUID(),
    organization_id: organizationId,
    fingerprint: `f${n}`,
    // Text as clients send it: quotes, backslashes, non-ASCII and a pair of surrogates must come back unchanged.
    outcome: `{"status":"rejected","message":"a \\"quoted\\" name, ü, 😀 ${n}"}`,
    created_at: '2026-12-01T10:00:00.000Z',
  });

  it('writes every row with its values and NULLs, across several statements', async () => {
    const organizationId = randomUUID();
    const rows = Array.from({ length: 4_400 }, (_, n) => outcome(n % 3 === 0 ? null : organizationId, n));
    await database.db.transaction().execute((trx) => insertRows(trx, database.caps, 'applied_events', rows));
    const stored = await database.db
      .selectFrom('applied_events')
      .selectAll()
      .where(
        'event_id',
        'in',
        rows.map((row) => row.event_id),
      )
      .execute();
    const byId = new Map(stored.map((row) => [row.event_id, row]));
    expect(byId.size).toBe(rows.length);
    for (const row of rows) expect(byId.get(row.event_id)).toEqual(row);
  });

  it('upserts: a conflicting row takes the old row’s place, others are inserted', async () => {
    const organizationId = randomUUID();
    const record = randomUUID();
    const row = (seq: number, recordId: string, version: number) => ({
      organization_id: organizationId,
      seq,
      table_name: 'patients',
      record_id: recordId,
      version,
      op: 'UPSERT' as const,
    });
    await database.db
      .transaction()
      .execute((trx) => insertRows(trx, database.caps, 'change_log', [row(1, record, 1)], CHANGE_LOG_UPSERT));
    const other = randomUUID();
    await database.db
      .transaction()
      .execute((trx) =>
        insertRows(trx, database.caps, 'change_log', [row(2, record, 2), row(3, other, 1)], CHANGE_LOG_UPSERT),
      );
    const log = await database.db
      .selectFrom('change_log')
      .select(['seq', 'record_id', 'version'])
      .where('organization_id', '=', organizationId)
      .orderBy('seq')
      .execute();
    expect(log).toEqual([
      { seq: 2, record_id: record, version: 2 },
      { seq: 3, record_id: other, version: 1 },
    ]);
  });

  it('fails on a duplicate key like any INSERT, so the batch can run again', async () => {
    const row = outcome(null, 1);
    await database.db.transaction().execute((trx) => insertRows(trx, database.caps, 'applied_events', [row]));
    const error = await database.db
      .transaction()
      .execute((trx) => insertRows(trx, database.caps, 'applied_events', [outcome(null, 2), row]))
      .catch((e: unknown) => e);
    expect(database.caps.isUniqueViolation(error)).toBe(true);
  });
});

it('carries the same INSERT as an operation tree, for drivers that split statements by it', async () => {
  const database = connectDatabase({ url: ':memory:' });
  await migrate(database.db, database.caps);
  const seen: CompiledQuery[] = [];
  const rows = Array.from({ length: 3 }, (_, n) => ({
    organization_id: 'o',
    seq: n + 1,
    table_name: 'patients',
    record_id: `r${n}`,
    version: 1,
    op: 'UPSERT' as const,
  }));
  await database.db.transaction().execute((trx) => {
    const spy = new Proxy(trx, {
      get(target, key) {
        if (key === 'executeQuery')
          return (query: CompiledQuery) => {
            seen.push(query);
            return target.executeQuery(query);
          };
        // Kysely's private fields need the real object as `this`.
        const value: unknown = Reflect.get(target, key);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    }) as Transaction<ServerDb>;
    return insertRows(spy, database.caps, 'change_log', rows, CHANGE_LOG_UPSERT);
  });
  expect(seen).toHaveLength(1);
  const fromTree = new SqliteQueryCompiler().compileQuery(seen[0]!.query, seen[0]!.queryId);
  expect(fromTree.sql).toBe(seen[0]!.sql);
  expect(fromTree.parameters).toEqual(seen[0]!.parameters);
  await database.close();
});
