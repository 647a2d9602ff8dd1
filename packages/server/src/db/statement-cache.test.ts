import SQLite from 'better-sqlite3';
import { expect, it } from 'vitest';
import { withStatementCache } from './statement-cache.ts';

function database() {
  const raw = new SQLite(':memory:');
  raw.exec('create table t (n integer); insert into t values (1), (2), (3)');
  return raw;
}

it('prepares a statement once and hands the same one back', () => {
  const raw = database();
  const cached = withStatementCache(raw);
  const first = cached.prepare('select n from t order by n');
  expect(cached.prepare('select n from t order by n')).toBe(first);
  expect(first.all([])).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
  raw.close();
});

it('prepares a fresh statement while the cached one is still iterating', () => {
  const raw = database();
  const cached = withStatementCache(raw);
  const sql = 'select n from t order by n';
  const outer = cached.prepare(sql).iterate([]);
  const seen: number[] = [];
  for (const row of outer as Iterable<{ n: number }>) {
    // A nested query with the same text while the outer one still reads: must not be the busy statement.
    seen.push(row.n, (cached.prepare(sql).all([]) as { n: number }[]).length);
  }
  expect(seen).toEqual([1, 3, 2, 3, 3, 3]);
  raw.close();
});

it('keeps at most `statements` texts, dropping the least recently used', () => {
  const raw = database();
  const cached = withStatementCache(raw, { statements: 2, textLength: 1_000 });
  const a = cached.prepare('select 1');
  const b = cached.prepare('select 2');
  expect(cached.prepare('select 1')).toBe(a);
  cached.prepare('select 3');
  expect(cached.prepare('select 1')).toBe(a);
  expect(cached.prepare('select 2')).not.toBe(b);
  raw.close();
});

it('keeps texts up to `textLength` characters in all, and never one longer than that', () => {
  const raw = database();
  const cached = withStatementCache(raw, { statements: 100, textLength: 40 });
  // Each of these texts is 17 characters long: two fit, a third pushes out the oldest.
  const a = cached.prepare('select 1 as n1000');
  const b = cached.prepare('select 2 as n2000');
  expect(cached.prepare('select 1 as n1000')).toBe(a);
  cached.prepare('select 3 as n3000');
  expect(cached.prepare('select 1 as n1000')).toBe(a);
  expect(cached.prepare('select 2 as n2000')).not.toBe(b);
  const long = `select ${'1 + '.repeat(20)}1`;
  expect(cached.prepare(long)).not.toBe(cached.prepare(long));
  raw.close();
});
