/**
 * Schema version 3 (PROTOCOL §2b, docs/schema-migrations.md "Version 3"):
 * coded vitals with a second value, entered-in-error marks on vitals and
 * medications, and the patient's clinic number, unique per organization.
 *
 * The DDL is written out here, not derived from the registry, so this
 * migration creates the same thing whatever the registry later becomes.
 *
 * Existing rows: vitals typed as free text by schema 1 and 2 clients are
 * mapped to their code and UCUM unit where the meaning is certain, in the
 * table and in the change log's latest state (what pull sends). The mapping
 * is a frozen copy of the one in `legacy-vitals.ts` as it was when version 3
 * shipped (a test checks they agree then). Rows whose meaning is not certain
 * (a blood pressure squeezed into one number, an unknown name, a unit that is
 * not the kind's) are left exactly as typed: nothing is lost, the app shows
 * them as uncoded, and a clinician can still mark them entered in error.
 * Versions are not bumped: the meaning of a row does not change, only its
 * spelling, and every client of version 3 pulls everything again anyway.
 */
import type { Kysely } from 'kysely';
import type { Capabilities } from '../capabilities.ts';

export async function up(db: Kysely<any>, caps: Capabilities): Promise<void> {
  await db.schema.alterTable('vitals').addColumn('value2', caps.floatType).execute();
  await db.schema
    .alterTable('vitals')
    .addColumn('entered_in_error', 'integer', (c) => c.defaultTo(0))
    .execute();
  await db.schema.alterTable('vitals').addColumn('error_reason', 'text').execute();
  await db.schema
    .alterTable('medications')
    .addColumn('entered_in_error', 'integer', (c) => c.defaultTo(0))
    .execute();
  await db.schema.alterTable('medications').addColumn('error_reason', 'text').execute();
  await db.schema.alterTable('patients').addColumn('identifier', 'text').execute();
  // The last line of defence for `duplicate_identifier`: push checks under the organization's lock first
  // (check-identifier.ts); two instances racing past that would fail here and the batch would run again.
  // Tombstones keep their number, so a clinic number is never given to a second person.
  await db.schema
    .createIndex('patients_identifier_uq')
    .unique()
    .on('patients')
    .columns(['organization_id', 'identifier'])
    .execute();

  await mapLegacyVitals(db);
}

/** Free-text names (normalized) → code, as of version 3. */
export const FROZEN_KIND_NAMES: Readonly<Record<string, string>> = {
  ...names('body_temperature', ['body temperature', 'temperature', 'temp', 'body temp']),
  ...names('heart_rate', ['heart rate', 'pulse', 'pulse rate', 'hr']),
  ...names('respiratory_rate', [
    'respiratory rate',
    'respiration rate',
    'respiration',
    'resp rate',
    'rr',
    'breathing rate',
  ]),
  ...names('oxygen_saturation', [
    'oxygen saturation',
    'spo2',
    'o2 sat',
    'o2 saturation',
    'sat',
    'sats',
    'pulse oximetry',
  ]),
  ...names('body_weight', ['body weight', 'weight', 'wt']),
  ...names('body_height', ['body height', 'height', 'ht']),
  ...names('blood_glucose', ['blood glucose', 'glucose', 'blood sugar']),
};

/** Code → [UCUM unit, accepted free-text spellings (normalized)], as of version 3. */
export const FROZEN_UNITS: Readonly<Record<string, readonly [string, readonly string[]]>> = {
  body_temperature: ['Cel', ['cel', '°c', 'c', 'celsius', 'degc', 'deg c', 'degrees celsius']],
  heart_rate: ['/min', ['/min', 'bpm', 'beats/min', 'breaths/min', '1/min', 'per min', 'per minute', '/minute']],
  respiratory_rate: ['/min', ['/min', 'bpm', 'beats/min', 'breaths/min', '1/min', 'per min', 'per minute', '/minute']],
  oxygen_saturation: ['%', ['%', 'percent']],
  body_weight: ['kg', ['kg', 'kgs', 'kilogram', 'kilograms']],
  body_height: ['cm', ['cm', 'centimeter', 'centimeters', 'centimetre', 'centimetres']],
  blood_glucose: ['mmol/L', ['mmol/l', 'mmol per l', 'mmol/litre', 'mmol/liter']],
};

function names(code: string, list: readonly string[]): Record<string, string> {
  return Object.fromEntries([code.replace(/_/g, ' '), ...list].map((name) => [name, code]));
}

function normalize(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[_\-.]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The code and unit a typed kind and unit certainly mean, or undefined. */
export function frozenVitalMapping(kind: unknown, unit: unknown): { kind: string; unit: string } | undefined {
  if (typeof kind !== 'string' || typeof unit !== 'string') return undefined;
  const code = FROZEN_KIND_NAMES[normalize(kind)];
  if (code === undefined) return undefined;
  const [ucum, spellings] = FROZEN_UNITS[code]!;
  const typed = normalize(unit);
  return typed === normalize(ucum) || spellings.includes(typed) ? { kind: code, unit: ucum } : undefined;
}

const CHUNK = 500;

async function mapLegacyVitals(db: Kysely<any>): Promise<void> {
  // The table: one UPDATE per distinct spelling, not per row.
  const pairs = await db.selectFrom('vitals').select(['kind', 'unit']).distinct().execute();
  for (const pair of pairs) {
    const mapped = frozenVitalMapping(pair.kind, pair.unit);
    if (!mapped || (mapped.kind === pair.kind && mapped.unit === pair.unit)) continue;
    await db.updateTable('vitals').set(mapped).where('kind', '=', pair.kind).where('unit', '=', pair.unit).execute();
  }

  // The change log's copy of each row's latest state, in chunks by record id.
  let after = '';
  for (;;) {
    const rows = await db
      .selectFrom('change_log')
      .select(['record_id', 'data'])
      .where('table_name', '=', 'vitals')
      .where('record_id', '>', after)
      .orderBy('record_id')
      .limit(CHUNK)
      .execute();
    for (const row of rows) {
      const data = parse(row.data);
      const mapped = data ? frozenVitalMapping(data.kind, data.unit) : undefined;
      if (!data || !mapped || (mapped.kind === data.kind && mapped.unit === data.unit)) continue;
      await db
        .updateTable('change_log')
        .set({ data: JSON.stringify({ ...data, ...mapped }) })
        .where('table_name', '=', 'vitals')
        .where('record_id', '=', row.record_id)
        .execute();
    }
    if (rows.length < CHUNK) break;
    after = String(rows[rows.length - 1]!.record_id);
  }
}

function parse(text: unknown): Record<string, unknown> | undefined {
  if (typeof text !== 'string') return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
