/**
 * What a row's timestamp may be beyond ISO-8601 (PROTOCOL §2, §8): a value
 * the server stores as sent and later serves, also as a FHIR R4 `instant` or
 * `dateTime` (Appointment.start, Observation.effectiveDateTime). FHIR has no
 * year 0000, at most nine fractional digits and offsets from -14:00 to
 * +14:00, all of which ISO-8601 (and zod's check of it) allows. A value
 * outside that would be accepted by push and then served as invalid FHIR,
 * so the registry refuses it (`invalid_event`, client and server alike).
 */

// Checked after the ISO-8601 shape: only the parts FHIR is stricter about are looked at.
const PARTS = /^(\d{4})-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.(\d+))?(Z|[+-](\d{2}):(\d{2}))$/;

/** The most fractional digits FHIR R4 allows (nanoseconds). */
const MAX_FRACTION_DIGITS = 9;

export function isServableTimestamp(value: string): boolean {
  const parts = PARTS.exec(value);
  if (!parts) return false;
  const [, year, fraction, offset, hours, minutes] = parts;
  if (year === '0000') return false;
  if (fraction !== undefined && fraction.length > MAX_FRACTION_DIGITS) return false;
  if (offset === 'Z') return true;
  const offsetMinutes = Number(hours) * 60 + Number(minutes);
  return Number(minutes) < 60 && offsetMinutes <= 14 * 60;
}
