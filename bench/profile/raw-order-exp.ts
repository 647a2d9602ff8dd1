/**
 * The raw read + insert ceiling of the pull part (scenarios/ceiling.ts) reads
 * its source in id order, so its inserts append to the target's primary-key
 * index. A first sync receives rows in change order, which for ids made on
 * devices is random id order. This runs the same raw loop both ways (and with
 * the first sync's 1,000-row transactions), in turn, to show what the order
 * alone costs. `N=100000 ROUNDS=3 npx tsx bench/profile/raw-order-exp.ts`
 */
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { patientRows } from '../lib/rows.ts';
import { openRawPullTarget } from '../scenarios/ceiling.ts';
import { benchTempDir } from '../lib/temp.ts';

const total = Number(process.env.N ?? 100_000);
const rounds = Number(process.env.ROUNDS ?? 3);
const rows = patientRows('3f0d8a4e-5b7c-4d2e-9f1a-0b1c2d3e4f50', total);

function rate(order: 'id' | 'arrival', pageRows: number): number {
  const dir = benchTempDir('raworder');
  const source = new SQLite(join(dir, 'source.sqlite'));
  // `seq` is the order rows arrive in (the change log's); `id` their random key.
  source.exec('create table patients (seq integer primary key, id text not null unique, data text)');
  const insertSource = source.prepare('insert into patients (id, data) values (?, ?)');
  source.transaction(() => {
    for (const row of rows) insertSource.run(row.id, JSON.stringify(row));
  })();
  const { target, insert } = openRawPullTarget(dir);
  const read =
    order === 'id'
      ? source.prepare(`select id as k, data from patients where id > ? order by id limit ${pageRows}`)
      : source.prepare(`select seq as k, data from patients where seq > ? order by seq limit ${pageRows}`);
  const started = performance.now();
  let after: string | number = order === 'id' ? '' : 0;
  for (;;) {
    const page = read.all(after) as { k: string | number; data: string }[];
    if (page.length === 0) break;
    target.transaction(() => {
      for (const r of page) insert.run(JSON.parse(r.data));
    })();
    after = page[page.length - 1]!.k;
  }
  const ms = performance.now() - started;
  source.close();
  target.close();
  return Math.round((total * 1000) / ms);
}

const cases = [
  ['id', 5000],
  ['arrival', 5000],
  ['arrival', 1000],
] as const;
const results = new Map<string, number[]>(cases.map(([order, size]) => [`${order} order, ${size}-row pages`, []]));
for (let round = 0; round < rounds; round++)
  for (const [order, size] of cases) results.get(`${order} order, ${size}-row pages`)!.push(rate(order, size));
for (const [name, rates] of results) {
  const sorted = [...rates].sort((a, b) => a - b);
  console.log(`${name}: median ${sorted[Math.floor(sorted.length / 2)]} rows/s (${sorted.join(', ')})`);
}
