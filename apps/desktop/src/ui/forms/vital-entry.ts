/**
 * Reading a vital sign as clinic staff type it (PROTOCOL §2b): a decimal
 * comma or point ("38,2", "38.2"), a blood pressure as "120/80". Pure. Never
 * silently changes what was typed: anything it cannot read for certain is an
 * error at the field, a value outside the hard range is refused, and one
 * outside the normal range is flagged, not refused. A kind counted in whole
 * units (beats, breaths, mmHg, %) takes whole numbers only, and a stored value
 * is shown with every decimal it has, so the chart never shows a number other
 * than the one recorded.
 */
import {
  clinicalIssues,
  rangeStanding,
  VITAL_KINDS,
  type RangeStanding,
  type VitalKind,
  type VitalKindSpec,
} from '@clinicsync/protocol';
import { clinicalMessage } from './form-values.ts';

export type VitalReading =
  | {
      readonly kind: 'valid';
      readonly value: number;
      readonly value2: number | null;
      readonly flags: readonly string[];
    }
  | { readonly kind: 'invalid'; readonly message: string };

const NUMBER = /^\d{1,4}(?:[.,]\d{1,3})?$/;
/** The most decimals typed or shown: what `NUMBER` reads. */
const MAX_DECIMALS = 3;

/** A number as typed, with a comma or a point for the decimals; undefined when it is not one number. */
export function parseDecimal(text: string): number | undefined {
  const trimmed = text.trim();
  return NUMBER.test(trimmed) ? Number(trimmed.replace(',', '.')) : undefined;
}

/** Reads `text` as a measurement of `kind`, checked with the same rules as the server. */
export function readVital(kind: VitalKind, text: string, now: Date): VitalReading {
  const spec = VITAL_KINDS[kind];
  const trimmed = text.trim();
  if (trimmed === '') return { kind: 'invalid', message: 'Required.' };
  let value: number | undefined;
  let value2: number | null = null;
  if (spec.second) {
    const parts = trimmed.split('/');
    if (parts.length !== 2) return { kind: 'invalid', message: 'Enter systolic/diastolic, e.g. 120/80.' };
    value = parseDecimal(parts[0]!);
    const second = parseDecimal(parts[1]!);
    if (value === undefined || second === undefined)
      return { kind: 'invalid', message: 'Enter systolic/diastolic, e.g. 120/80.' };
    if (tooPrecise(spec, value) || tooPrecise(spec, second))
      return { kind: 'invalid', message: `Enter whole numbers in ${spec.unitLabel}, e.g. 120/80.` };
    value2 = second;
  } else {
    value = parseDecimal(trimmed);
    if (value === undefined)
      return { kind: 'invalid', message: `Enter a number in ${spec.unitLabel}, e.g. ${example(spec)}.` };
    if (tooPrecise(spec, value))
      return { kind: 'invalid', message: `Enter a whole number in ${spec.unitLabel}, e.g. ${example(spec)}.` };
  }
  const issues = clinicalIssues(
    'vitals',
    { kind, unit: spec.unit, value, value2 },
    { now, changed: ['kind', 'unit', 'value', 'value2'] },
  );
  const issue = issues[0];
  if (issue) {
    if (issue.code === 'out_of_range') {
      const range = issue.path === 'value2' && spec.second ? spec.second.hard : spec.hard;
      return {
        kind: 'invalid',
        message:
          issue.path === 'value2' && value2 !== null && value2 >= value && value2 <= spec.second!.hard.max
            ? 'The systolic (first number) must be above the diastolic.'
            : `Outside what can be measured (${range.min}–${range.max} ${spec.unitLabel}): check the number and its unit.`,
      };
    }
    return { kind: 'invalid', message: clinicalMessage(issue.code, issue.path) };
  }
  const flags: string[] = [];
  const first = flagOf(rangeStanding(value, spec.hard, spec.normal));
  if (first) flags.push(spec.second ? `Systolic ${first}` : first);
  if (spec.second && value2 !== null) {
    const second = flagOf(rangeStanding(value2, spec.second.hard, spec.second.normal));
    if (second) flags.push(`Diastolic ${second}`);
  }
  return { kind: 'valid', value, value2, flags };
}

/** A fraction typed for a kind counted in whole units (a heart rate of 72.5 is a slip of the finger). */
function tooPrecise(spec: VitalKindSpec, value: number): boolean {
  return spec.decimals === 0 && !Number.isInteger(value);
}

/** The decimals `value` has (at most what can be typed). */
function decimalsOf(value: number): number {
  const text = String(value);
  const point = text.indexOf('.');
  return point < 0 ? 0 : Math.min(MAX_DECIMALS, text.length - point - 1);
}

/** A number with the kind's decimals, or more when it was recorded with more: never rounded away. */
function showNumber(value: number, spec: VitalKindSpec): string {
  return value.toFixed(Math.max(spec.decimals, decimalsOf(value)));
}

/** The adult normal range next to the value ("Normal (adult): 36.1–37.5 °C"), or null where there is none. */
export function normalRangeText(spec: VitalKindSpec): string | null {
  if (!spec.normal) return null;
  const range = (r: { readonly min: number; readonly max: number }) =>
    `${showNumber(r.min, spec)}–${showNumber(r.max, spec)}`;
  const ranges = spec.second ? `${range(spec.normal)} / ${range(spec.second.normal)}` : range(spec.normal);
  return `Normal (adult): ${ranges} ${spec.unitLabel}`;
}

/**
 * What is wrong with a "Recorded at" typed in a `datetime-local` input, checked with the server's own rule
 * (PROTOCOL §2b: not in the future, within the clock tolerance), or null when it may be saved.
 */
export function recordedAtProblem(input: string, now: Date): string | null {
  const at = new Date(input);
  if (input.trim() === '' || Number.isNaN(at.getTime())) return 'Enter a date and time.';
  const issue = clinicalIssues('vitals', { recorded_at: at.toISOString() }, { now, changed: ['recorded_at'] })[0];
  return issue ? clinicalMessage(issue.code, issue.path) : null;
}

function flagOf(standing: RangeStanding): string | null {
  return standing === 'low' ? 'below normal' : standing === 'high' ? 'above normal' : null;
}

function example(spec: VitalKindSpec): string {
  const mid = spec.normal ? (spec.normal.min + spec.normal.max) / 2 : (spec.hard.min + spec.hard.max) / 4;
  return mid.toFixed(spec.decimals).replace('.', ',');
}

/** A stored vital as people read it: "38.2 °C", "120/80 mmHg"; an uncoded (older app) entry as it was typed. */
export function formatVital(row: Readonly<Record<string, unknown>>): string {
  const spec =
    typeof row.kind === 'string' && Object.hasOwn(VITAL_KINDS, row.kind)
      ? VITAL_KINDS[row.kind as VitalKind]
      : undefined;
  if (!spec) return `${String(row.value ?? '')} ${String(row.unit ?? '')}`.trim();
  const first = showNumber(Number(row.value), spec);
  return spec.second
    ? `${first}/${showNumber(Number(row.value2), spec)} ${spec.unitLabel}`
    : `${first} ${spec.unitLabel}`;
}

/** Whether a stored vital lies outside its normal range (for the flag next to it). */
export function vitalFlags(row: Readonly<Record<string, unknown>>): string[] {
  const spec =
    typeof row.kind === 'string' && Object.hasOwn(VITAL_KINDS, row.kind)
      ? VITAL_KINDS[row.kind as VitalKind]
      : undefined;
  if (!spec || typeof row.value !== 'number') return [];
  const flags: string[] = [];
  const first = flagOf(rangeStanding(row.value, spec.hard, spec.normal));
  if (first) flags.push(first);
  if (spec.second && typeof row.value2 === 'number') {
    const second = flagOf(rangeStanding(row.value2, spec.second.hard, spec.second.normal));
    if (second && !flags.includes(second)) flags.push(second);
  }
  return flags;
}
