/**
 * The coded vital signs of schema version 3 (PROTOCOL §2b): one table, used by
 * server validation, client validation, the UI (units, normal band, entry
 * parsing) and the FHIR layer (LOINC, UCUM). Nothing restates these numbers.
 *
 * Hard ranges are what a body can show at all (or a device can measure):
 * outside them the entry is a typing or unit error and is refused
 * (`out_of_range`). Normal ranges are adult reference ranges, for display
 * only: outside them a value is flagged, never refused.
 */

/** An inclusive range of values. */
export type ValueRange = { readonly min: number; readonly max: number };

export type VitalKindSpec = {
  readonly code: string;
  /** Human name for the UI. */
  readonly label: string;
  /** LOINC code of the observation (a blood pressure: the panel). */
  readonly loinc: string;
  /** LOINC display name (FHIR `code.coding.display`). */
  readonly loincDisplay: string;
  /** UCUM code of the unit; `unit` must be exactly this. */
  readonly unit: string;
  /** How the unit is shown to people ("°C" for `Cel`). */
  readonly unitLabel: string;
  /** Refused outside (`out_of_range`). */
  readonly hard: ValueRange;
  /** Adult normal range, for display; absent where none applies (weight, height). */
  readonly normal?: ValueRange;
  /** Decimal places worth showing and accepting. */
  readonly decimals: number;
  /**
   * Present only for a blood pressure: `value` is the systolic, `value2` the
   * diastolic, with their own LOINC codes and ranges, and systolic > diastolic.
   */
  readonly second?: {
    readonly label: string;
    readonly loinc: string;
    readonly loincDisplay: string;
    readonly hard: ValueRange;
    readonly normal: ValueRange;
  };
  /** The first value's own LOINC code where it differs from the kind's (systolic of a blood pressure). */
  readonly firstLoinc?: { readonly label: string; readonly loinc: string; readonly loincDisplay: string };
};

export const VITAL_KIND_CODES = [
  'body_temperature',
  'heart_rate',
  'respiratory_rate',
  'blood_pressure',
  'oxygen_saturation',
  'body_weight',
  'body_height',
  'blood_glucose',
] as const;
export type VitalKind = (typeof VITAL_KIND_CODES)[number];

/** PROTOCOL §2b's table, keyed by kind code, in the order the UI lists them. */
export const VITAL_KINDS: { readonly [K in VitalKind]: VitalKindSpec & { readonly code: K } } = {
  body_temperature: {
    code: 'body_temperature',
    label: 'Temperature',
    loinc: '8310-5',
    loincDisplay: 'Body temperature',
    unit: 'Cel',
    unitLabel: '°C',
    hard: { min: 25, max: 45 },
    normal: { min: 36.1, max: 37.5 },
    decimals: 1,
  },
  heart_rate: {
    code: 'heart_rate',
    label: 'Heart rate',
    loinc: '8867-4',
    loincDisplay: 'Heart rate',
    unit: '/min',
    unitLabel: 'beats/min',
    hard: { min: 20, max: 300 },
    normal: { min: 60, max: 100 },
    decimals: 0,
  },
  respiratory_rate: {
    code: 'respiratory_rate',
    label: 'Respiratory rate',
    loinc: '9279-1',
    loincDisplay: 'Respiratory rate',
    unit: '/min',
    unitLabel: 'breaths/min',
    hard: { min: 4, max: 80 },
    normal: { min: 12, max: 20 },
    decimals: 0,
  },
  blood_pressure: {
    code: 'blood_pressure',
    label: 'Blood pressure',
    loinc: '85354-9',
    loincDisplay: 'Blood pressure panel with all children optional',
    unit: 'mm[Hg]',
    unitLabel: 'mmHg',
    hard: { min: 40, max: 300 },
    normal: { min: 90, max: 120 },
    decimals: 0,
    firstLoinc: { label: 'Systolic', loinc: '8480-6', loincDisplay: 'Systolic blood pressure' },
    second: {
      label: 'Diastolic',
      loinc: '8462-4',
      loincDisplay: 'Diastolic blood pressure',
      hard: { min: 20, max: 200 },
      normal: { min: 60, max: 80 },
    },
  },
  oxygen_saturation: {
    code: 'oxygen_saturation',
    label: 'Oxygen saturation',
    loinc: '59408-5',
    loincDisplay: 'Oxygen saturation in Arterial blood by Pulse oximetry',
    unit: '%',
    unitLabel: '%',
    hard: { min: 50, max: 100 },
    normal: { min: 95, max: 100 },
    decimals: 0,
  },
  body_weight: {
    code: 'body_weight',
    label: 'Weight',
    loinc: '29463-7',
    loincDisplay: 'Body weight',
    unit: 'kg',
    unitLabel: 'kg',
    hard: { min: 0.3, max: 400 },
    decimals: 1,
  },
  body_height: {
    code: 'body_height',
    label: 'Height',
    loinc: '8302-2',
    loincDisplay: 'Body height',
    unit: 'cm',
    unitLabel: 'cm',
    hard: { min: 20, max: 260 },
    decimals: 1,
  },
  blood_glucose: {
    code: 'blood_glucose',
    label: 'Blood glucose',
    loinc: '15074-8',
    loincDisplay: 'Glucose [Moles/volume] in Blood',
    unit: 'mmol/L',
    unitLabel: 'mmol/L',
    hard: { min: 0.5, max: 50 },
    normal: { min: 3.9, max: 7.8 },
    decimals: 1,
  },
};

/** True when `code` is one of the coded vital kinds. */
export function isVitalKind(code: unknown): code is VitalKind {
  return typeof code === 'string' && Object.hasOwn(VITAL_KINDS, code);
}

/** The spec of a coded kind, or undefined for anything else (a legacy free-text kind). */
export function vitalKindSpec(code: unknown): VitalKindSpec | undefined {
  return isVitalKind(code) ? VITAL_KINDS[code] : undefined;
}

/** Where a value lies: refused outside the hard range, flagged outside the normal one. */
export type RangeStanding = 'below_hard' | 'low' | 'normal' | 'high' | 'above_hard';

/** Places `value` against a hard and an optional normal range. Pure. */
export function rangeStanding(value: number, hard: ValueRange, normal?: ValueRange): RangeStanding {
  if (value < hard.min) return 'below_hard';
  if (value > hard.max) return 'above_hard';
  if (normal && value < normal.min) return 'low';
  if (normal && value > normal.max) return 'high';
  return 'normal';
}
