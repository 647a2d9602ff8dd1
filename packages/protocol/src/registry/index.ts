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

export type TableName = keyof typeof TABLES;
export const TABLE_NAMES = Object.keys(TABLES) as readonly TableName[];

/** The current schema version of the registry (PROTOCOL §5). */
export const SCHEMA_VERSION = 1;
/** Oldest client schema version the server still translates for. */
export const MIN_SUPPORTED_SCHEMA_VERSION = 1;

export function isTableName(name: string): name is TableName {
  return Object.prototype.hasOwnProperty.call(TABLES, name);
}

/** The spec of a table known to exist. */
export function tableSpec(name: TableName): TableSpec {
  return TABLES[name];
}

export * from './define-table.ts';
export { appointments, medications, members, organizations, patients, teams, vitals };
export { APPOINTMENT_STATUSES } from './appointments.ts';
export { MEDICATION_STATUSES } from './medications.ts';
export { SEXES } from './patients.ts';
