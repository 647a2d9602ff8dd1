/**
 * Vitals of schema versions 1 and 2, where `kind` and `unit` were free text
 * (docs/schema-migrations.md, "Version 3"). Pure; the one place that maps
 * them, both ways:
 *
 * - from an older client: a kind and a unit are mapped to the code and the
 *   UCUM unit only where the meaning is certain (a list of names clinics
 *   actually type); anything else is refused with a reason the user can act
 *   on, and stays in the older app's dead letters, so nothing is lost. A
 *   blood pressure is always refused: one number cannot carry a systolic and
 *   a diastolic, so "12080" or "120" would be silently wrong. Values are
 *   never converted (°F, lb): a unit that is not the kind's is refused.
 * - to an older client: a blood pressure shows both numbers in its kind
 *   ("blood_pressure 120/80", `value` the systolic), and an entry marked
 *   entered in error is sent as deleted, since an older app could only show
 *   it as a valid measurement.
 */
import { VITAL_KINDS, type VitalKind } from './vital-kinds.ts';

/** The first schema version with coded vitals. */
export const CODED_VITALS_SINCE = 3;

/** How names are compared: case, separators and surrounding blanks do not matter. */
export function normalizeLegacyName(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[_\-.]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Free-text kinds whose meaning is certain, normalized, per code. The codes themselves map too. */
export const LEGACY_KIND_NAMES: { readonly [K in VitalKind]: readonly string[] } = {
  body_temperature: ['body temperature', 'temperature', 'temp', 'body temp'],
  heart_rate: ['heart rate', 'pulse', 'pulse rate', 'hr'],
  respiratory_rate: ['respiratory rate', 'respiration rate', 'respiration', 'resp rate', 'rr', 'breathing rate'],
  // Listed to be recognized and refused with the blood-pressure reason (see above), never mapped.
  blood_pressure: [
    'blood pressure',
    'bp',
    'systolic',
    'diastolic',
    'systolic blood pressure',
    'diastolic blood pressure',
    'sbp',
    'dbp',
  ],
  oxygen_saturation: ['oxygen saturation', 'spo2', 'o2 sat', 'o2 saturation', 'sat', 'sats', 'pulse oximetry'],
  body_weight: ['weight', 'body weight', 'wt'],
  body_height: ['height', 'body height', 'ht'],
  blood_glucose: ['blood glucose', 'glucose', 'blood sugar'],
};

/** Free-text units whose meaning is certain, normalized, per UCUM unit of the table. */
export const LEGACY_UNIT_NAMES: Readonly<Record<string, readonly string[]>> = {
  Cel: ['cel', '°c', 'c', 'celsius', 'degc', 'deg c', 'degrees celsius'],
  '/min': ['/min', 'bpm', 'beats/min', 'breaths/min', '1/min', 'per min', 'per minute', '/minute'],
  'mm[Hg]': ['mm[hg]', 'mmhg', 'mm hg'],
  '%': ['%', 'percent'],
  kg: ['kg', 'kgs', 'kilogram', 'kilograms'],
  cm: ['cm', 'centimeter', 'centimeters', 'centimetre', 'centimetres'],
  'mmol/L': ['mmol/l', 'mmol per l', 'mmol/litre', 'mmol/liter'],
};

/** The code a free-text kind certainly means, or undefined. */
export function legacyKindCode(text: string): VitalKind | undefined {
  const name = normalizeLegacyName(text);
  for (const [code, names] of Object.entries(LEGACY_KIND_NAMES) as [VitalKind, readonly string[]][]) {
    if (name === code.replace(/_/g, ' ') || names.includes(name)) return code;
  }
  return undefined;
}

/** True when a free-text unit certainly means the UCUM `unit`. */
export function isLegacyUnitFor(text: string, unit: string): boolean {
  const name = normalizeLegacyName(text);
  return name === normalizeLegacyName(unit) || (LEGACY_UNIT_NAMES[unit] ?? []).includes(name);
}

/** The result of mapping an older client's vital: the coded fields, or why not. */
export type LegacyVitalMapping =
  | { readonly kind: 'mapped'; readonly data: Readonly<Record<string, unknown>> }
  | { readonly kind: 'refused'; readonly field: string; readonly message: string };

/**
 * Maps the `kind` and `unit` an older client set (INSERT, or the fields of an
 * UPDATE) to their codes, given the stored row for an UPDATE. Refuses what
 * cannot be mapped with certainty, and any change of a blood pressure's
 * values. Messages name fields and codes, never the values typed.
 */
export function vitalFromLegacyClient(
  data: Readonly<Record<string, unknown>>,
  stored: Readonly<Record<string, unknown>> | undefined,
): LegacyVitalMapping {
  const touchesMeasurement = ['kind', 'value', 'unit'].some((field) => Object.hasOwn(data, field));
  if (!touchesMeasurement) return { kind: 'mapped', data };
  const storedKind = typeof stored?.kind === 'string' ? stored.kind : undefined;
  if (storedKind === 'blood_pressure') return bloodPressureRefusal('value');

  const kindText = typeof data.kind === 'string' ? data.kind : storedKind;
  const code = kindText === undefined ? undefined : legacyKindCode(kindText);
  if (code === undefined) {
    return {
      kind: 'refused',
      field: 'kind',
      message: `This kind of vital sign is not one the clinic records can code for certain. Use one of: ${Object.values(
        VITAL_KINDS,
      )
        .filter((k) => k.code !== 'blood_pressure')
        .map((k) => k.label.toLowerCase())
        .join(', ')}; or update the app.`,
    };
  }
  if (code === 'blood_pressure') return bloodPressureRefusal('kind');

  const spec = VITAL_KINDS[code];
  const unitText = typeof data.unit === 'string' ? data.unit : typeof stored?.unit === 'string' ? stored.unit : '';
  if (!isLegacyUnitFor(unitText, spec.unit)) {
    return {
      kind: 'refused',
      field: 'unit',
      message: `The unit is not the unit of ${spec.label.toLowerCase()} (${spec.unitLabel}); values are not converted. Enter it in ${spec.unitLabel}.`,
    };
  }
  const mapped: Record<string, unknown> = { ...data };
  if (Object.hasOwn(data, 'kind') || storedKind !== code) mapped.kind = code;
  if (Object.hasOwn(data, 'unit') || stored?.unit !== spec.unit) mapped.unit = spec.unit;
  return { kind: 'mapped', data: mapped };
}

function bloodPressureRefusal(field: string): LegacyVitalMapping {
  return {
    kind: 'refused',
    field,
    message:
      'A blood pressure needs its systolic and diastolic in one entry, which this version of the app cannot send. Update the app to record it.',
  };
}

/** A coded vital row as an older client receives it (see the file comment); other rows pass unchanged. */
export function vitalForLegacyClient(data: Readonly<Record<string, unknown>>): Record<string, unknown> {
  if (data.kind !== 'blood_pressure') return { ...data };
  const diastolic = typeof data.value2 === 'number' ? data.value2 : '?';
  return { ...data, kind: `blood_pressure ${String(data.value)}/${String(diastolic)}` };
}

/** True when an older client must receive the row as deleted: it cannot show the entered-in-error flag. */
export function isHiddenFromLegacyClient(table: string, data: Readonly<Record<string, unknown>> | null): boolean {
  return (table === 'vitals' || table === 'medications') && data?.entered_in_error === true;
}
