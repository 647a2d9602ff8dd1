import { appointments } from './appointments.ts';
import type { TableSpec } from './define-table.ts';
import { medications } from './medications.ts';
import { members } from './members.ts';
import { organizations } from './organizations.ts';
import { patients } from './patients.ts';
import { teams } from './teams.ts';
import { vitals } from './vitals.ts';

/**
 * Every synced table, parents before children: migrations create them in this
 * order and a fresh client applies a full pull in this order.
 */
export const TABLES = { organizations, teams, members, patients, appointments, vitals, medications } as const;

/** The name of a synced table. */
export type TableName = keyof typeof TABLES;
/** Every table name, in registry order (parents first). */
export const TABLE_NAMES = Object.keys(TABLES) as readonly TableName[];

/** True when `name` is a registry table (payload table names are only ever compared with this). */
export function isTableName(name: string): name is TableName {
  return Object.hasOwn(TABLES, name);
}

/** The spec of a table known to exist. */
export function tableSpec(name: TableName): TableSpec {
  return TABLES[name];
}
