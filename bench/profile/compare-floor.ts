/** Ceiling and floor side by side, a few times (the machine may be busy): `npx tsx bench/profile/compare-floor.ts [rows]`. */
import { patientRows } from '../lib/rows.ts';
import { rawSqliteInsertRate } from '../scenarios/ceiling.ts';
import { rawWriteSetRate } from '../scenarios/floor.ts';

const rows = patientRows('3f0d8a4e-5b7c-4d2e-9f1a-0b1c2d3e4f50', Number(process.argv[2] ?? 20_000));
for (let i = 0; i < 3; i++) {
  const ceiling = await rawSqliteInsertRate(rows);
  const floor = await rawWriteSetRate(rows);
  console.log(
    `ceiling ${Math.round(ceiling)} rows/s, floor ${Math.round(floor)} events/s (${(floor / ceiling).toFixed(2)}× ceiling)`,
  );
}
