import Database from 'better-sqlite3';
import {
  DummyDriver,
  Kysely,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type CompiledQuery,
} from 'kysely';
import { describe, expect, it } from 'vitest';
import { fitParameterLimit, MAX_BOUND_PARAMETERS } from './worker/fit-parameter-limit.ts';

type Db = { patients: { id: string; organization_id: string; n: number } };

const compiler = new Kysely<Db>({
  dialect: {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new SqliteIntrospector(db),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  },
});

/** Runs statements on a real SQLite (better-sqlite3 binds any number), so a fitted query can be compared with the original. */
function open() {
  const db = new Database(':memory:');
  db.exec('create table patients (id text primary key, organization_id text not null, n integer not null)');
  const run = (statements: readonly CompiledQuery[]) =>
    statements.flatMap((q) => {
      const stmt = db.prepare(q.sql);
      if (stmt.reader) return stmt.all(...(q.parameters as unknown[])) as unknown[];
      stmt.run(...(q.parameters as unknown[]));
      return [];
    });
  return { db, run };
}

const rows = Array.from({ length: 500 }, (_, i) => ({ id: `p${i}`, organization_id: i % 2 ? 'org-a' : 'org-b', n: i }));

describe('fitParameterLimit', () => {
  it('leaves a statement within the limit as it is', () => {
    const query = compiler.selectFrom('patients').selectAll().where('id', 'in', ['a', 'b']).compile();
    expect(fitParameterLimit(query)).toEqual([query]);
  });

  it('splits a 500-row INSERT into statements within the limit that insert the same rows', () => {
    const query = compiler.insertInto('patients').values(rows).compile();
    const statements = fitParameterLimit(query);
    expect(statements.length).toBeGreaterThan(1);
    for (const statement of statements) expect(statement.parameters.length).toBeLessThanOrEqual(MAX_BOUND_PARAMETERS);
    const { db, run } = open();
    run(statements);
    expect(db.prepare('select id, organization_id, n from patients order by n').all()).toEqual(rows);
  });

  it('binds a long in-list as one JSON array and finds exactly the rows the list names', () => {
    const { run } = open();
    run(fitParameterLimit(compiler.insertInto('patients').values(rows).compile()));
    const ids = [...rows.filter((r) => r.n % 3 === 0).map((r) => r.id), 'missing', "it's"];
    const query = compiler
      .selectFrom('patients')
      .select(['id', 'n'])
      .where('organization_id', '=', 'org-a')
      .where('id', 'in', ids)
      .orderBy('n')
      .compile();
    const fitted = fitParameterLimit(query);
    expect(fitted).toHaveLength(1);
    expect(fitted[0]!.parameters.length).toBeLessThanOrEqual(MAX_BOUND_PARAMETERS);
    expect(run(fitted)).toEqual(run([query]));
    expect(run(fitted).length).toBe(rows.filter((r) => r.n % 3 === 0 && r.n % 2 === 1).length);
  });

  it('refuses, rather than runs, a statement it cannot fit', () => {
    const query = compiler
      .updateTable('patients')
      .set({ n: 1 })
      .where((eb) => eb.or(rows.map((r) => eb('id', '=', r.id))))
      .compile();
    expect(() => fitParameterLimit(query)).toThrow(/more than the 100/);
  });
});
