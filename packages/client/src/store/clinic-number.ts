/**
 * Clinic numbers (PROTOCOL §2b `patients.identifier`), assigned on the device,
 * offline too (docs/clinic-numbers.md):
 *
 *     K7QM9X-0042
 *     ^^^^^^ the device's tag: 6 Crockford base32 characters (30 random bits),
 *            drawn once per store and kept in `_sync_state`;
 *            ^^^^ the device's own counter, never reused, at least 4 digits.
 *
 * Numbers of one device never collide with each other (the counter only
 * grows, in the same transaction as the patient's INSERT). Numbers of two
 * devices differ in their tag; the tag is random, so two devices of one
 * organization share one with a chance of about n²/2³¹ (one in 200,000 at
 * 100 devices). The server refuses a number it already holds
 * (`duplicate_identifier`), so even then no two patients share a number: the
 * refused registration lands in the dead letters, and the device draws a new
 * tag for every number after it (`retireClinicNumberTag`).
 */
import { readState, writeState } from './sync-state.ts';
import type { SqliteDatabase } from './sqlite-database.ts';

/** Crockford's base32: no I, L, O or U, so a number read aloud or handwritten is not misread. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const TAG_LENGTH = 6;

/** A new tag from a random UUID's hex digits (the engine's id source, injectable in tests). */
export function tagFromUuid(uuid: string): string {
  const hex = uuid.replace(/[^0-9a-f]/gi, '');
  // Skip the version nibble (position 12): it is always 4 and carries no randomness.
  const bits = BigInt(`0x${hex.slice(0, 12)}${hex.slice(13, 17)}`);
  let tag = '';
  for (let i = 0; i < TAG_LENGTH; i++) tag += ALPHABET[Number((bits >> BigInt(5 * i)) & 31n)];
  return tag;
}

/** The next clinic number of this device; call inside the transaction that inserts the patient. */
export function nextClinicNumber(db: SqliteDatabase, newId: () => string): string {
  let tag = readState(db, 'clinic_number_tag');
  if (!tag) {
    tag = tagFromUuid(newId());
    writeState(db, 'clinic_number_tag', tag);
  }
  const next = Number(readState(db, 'clinic_number_next') ?? '1');
  writeState(db, 'clinic_number_next', String(next + 1));
  return `${tag}-${String(next).padStart(4, '0')}`;
}

/** After the server refused one of this device's numbers as taken: later numbers use a new tag. */
export function retireClinicNumberTag(db: SqliteDatabase): void {
  writeState(db, 'clinic_number_tag', null);
}
