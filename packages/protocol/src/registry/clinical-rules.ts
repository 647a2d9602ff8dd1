/**
 * The clinical rules of schema version 3 (PROTOCOL §2b) that a column's own
 * type cannot say: a vital's unit and hard range depend on its kind, a blood
 * pressure has two values, nothing is recorded in the future, birth dates are
 * believable. Pure; the server (push) and the client (before anything is
 * queued) run this same function, so the user sees the same refusal at the
 * field that the server would give.
 *
 * Rules are checked on the whole row as it would be after the write (stored
 * row merged with the event's fields), but only the rules about the fields the
 * write touches: a clinician must still be able to mark an old, uncoded entry
 * as entered in error without retyping it.
 */
import { EARLIEST_BIRTH_DATE } from './patients.ts';
import { rangeStanding, vitalKindSpec } from './vital-kinds.ts';

/** What is wrong with one field; `out_of_range` becomes the rejection of that name, the rest `invalid_event`. */
export type ClinicalIssueCode =
  | 'out_of_range'
  | 'wrong_unit'
  | 'unknown_kind'
  | 'required'
  | 'not_allowed'
  | 'in_future'
  | 'too_early';
export type ClinicalIssue = { readonly path: string; readonly code: ClinicalIssueCode };

/** How far ahead of the server's clock `recorded_at` may lie (device clocks drift). */
export const RECORDED_AT_TOLERANCE_MS = 10 * 60 * 1000;

export type ClinicalCheckOptions = {
  readonly now: Date;
  /**
   * Today's date (YYYY-MM-DD) on the calendar of the clinic that writes: a
   * birth date may not be after it. The client passes its local date
   * (`localToday`), the server the writer's date as the event carries it
   * (`writersToday`); absent, the UTC date of `now`.
   */
  readonly today?: string;
  /** The fields the write sets; absent = all (an INSERT). */
  readonly changed?: readonly string[];
};

/** The broken clinical rules of `row` of `table`, in field order; empty when it may be written. */
export function clinicalIssues(
  table: string,
  row: Readonly<Record<string, unknown>>,
  options: ClinicalCheckOptions,
): ClinicalIssue[] {
  const touched = (field: string) => options.changed === undefined || options.changed.includes(field);
  switch (table) {
    case 'vitals':
      return vitalIssues(row, options.now, touched);
    case 'patients':
      return touched('birth_date')
        ? birthDateIssues(row.birth_date, options.today ?? options.now.toISOString().slice(0, 10))
        : [];
    default:
      return [];
  }
}

function vitalIssues(
  row: Readonly<Record<string, unknown>>,
  now: Date,
  touched: (field: string) => boolean,
): ClinicalIssue[] {
  const issues: ClinicalIssue[] = [];
  if (['kind', 'value', 'value2', 'unit'].some(touched)) {
    const spec = vitalKindSpec(row.kind);
    if (!spec) return [{ path: 'kind', code: 'unknown_kind' }, ...recordedAtIssues(row, now, touched)];
    if (row.unit !== spec.unit) issues.push({ path: 'unit', code: 'wrong_unit' });
    if (typeof row.value === 'number' && isOutside(row.value, spec.hard))
      issues.push({ path: 'value', code: 'out_of_range' });
    const value2 = row.value2 ?? null;
    if (spec.second) {
      if (typeof value2 !== 'number') issues.push({ path: 'value2', code: 'required' });
      else if (isOutside(value2, spec.second.hard)) issues.push({ path: 'value2', code: 'out_of_range' });
      // Systolic above diastolic is part of the hard range: the reverse is two numbers swapped.
      else if (typeof row.value === 'number' && !(row.value > value2))
        issues.push({ path: 'value2', code: 'out_of_range' });
    } else if (value2 !== null) {
      issues.push({ path: 'value2', code: 'not_allowed' });
    }
  }
  return [...issues, ...recordedAtIssues(row, now, touched)];
}

function recordedAtIssues(
  row: Readonly<Record<string, unknown>>,
  now: Date,
  touched: (field: string) => boolean,
): ClinicalIssue[] {
  if (!touched('recorded_at') || typeof row.recorded_at !== 'string') return [];
  const at = Date.parse(row.recorded_at);
  return Number.isFinite(at) && at > now.getTime() + RECORDED_AT_TOLERANCE_MS
    ? [{ path: 'recorded_at', code: 'in_future' }]
    : [];
}

function birthDateIssues(value: unknown, today: string): ClinicalIssue[] {
  if (typeof value !== 'string') return [];
  // Dates are YYYY-MM-DD (checked by the column schema), so text order is date order.
  if (value < EARLIEST_BIRTH_DATE) return [{ path: 'birth_date', code: 'too_early' }];
  if (value > today) return [{ path: 'birth_date', code: 'in_future' }];
  return [];
}

/** `now`'s date on this runtime's local calendar (on a clinic's device, the clinic's), YYYY-MM-DD. */
export function localToday(now: Date): string {
  return `${now.getFullYear()}-${pad2(now.getMonth() + 1)}-${pad2(now.getDate())}`;
}

/** `instant` (an ISO timestamp) written with this runtime's local offset, as a device stamps what it writes. */
export function withLocalOffset(instant: string): string {
  const at = new Date(instant);
  if (!Number.isFinite(at.getTime())) return instant;
  const offset = -at.getTimezoneOffset();
  if (offset === 0) return at.toISOString();
  const local = new Date(at.getTime() + offset * 60_000).toISOString().slice(0, 23);
  const sign = offset > 0 ? '+' : '-';
  return `${local}${sign}${pad2(Math.floor(Math.abs(offset) / 60))}:${pad2(Math.abs(offset) % 60)}`;
}

/**
 * The server's "today" for a birth date: the later of its own UTC date and
 * the date on which the writer stamped the event (`createdAt`, in the
 * writer's offset). The server does not know the clinic's time zone, and a
 * baby born this morning in a clinic east of UTC has a birth date that is
 * still tomorrow in UTC. A stamp further ahead of the server's clock than
 * device clocks drift is not believed, nor a date later than the date at
 * UTC+14 at the server's time.
 */
export function writersToday(now: Date, createdAt: string | undefined): string {
  const utc = now.toISOString().slice(0, 10);
  if (createdAt === undefined) return utc;
  const at = Date.parse(createdAt);
  if (!Number.isFinite(at) || at > now.getTime() + RECORDED_AT_TOLERANCE_MS) return utc;
  // An ISO timestamp's date part is the date in the offset it was written with.
  // Dates as YYYY-MM-DD text: the later one sorts last.
  const written = createdAt.slice(0, 10);
  if (written <= utc) return utc;
  // The format allows offsets up to ±23:59, but no clock on Earth is ahead of
  // UTC+14: a later date is tomorrow everywhere, and not believed either.
  // "Everywhere" at the stamp's instant (an offset no zone has) and at the
  // server's time, whichever is earlier: the drift tolerance lets a stamp run
  // ahead of the server, and in the last minutes before midnight at UTC+14
  // that would let in a date that has begun nowhere yet.
  const earliestZoneToday = new Date(Math.min(at, now.getTime()) + EARLIEST_ZONE_OFFSET_MS).toISOString().slice(0, 10);
  if (written > earliestZoneToday) return utc;
  return written;
}

/** The earliest time zone's offset (UTC+14, Kiribati's Line Islands): the first place any date begins. */
const EARLIEST_ZONE_OFFSET_MS = 14 * 60 * 60 * 1000;

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

function isOutside(value: number, range: { readonly min: number; readonly max: number }): boolean {
  const standing = rangeStanding(value, range);
  return standing === 'below_hard' || standing === 'above_hard';
}
