/**
 * What a patient search matches on (docs/patient-search.md). Pure: turns a
 * patient into normalized search terms, and a query into what to look up.
 *
 * - Names: every word and every part after a separator (space, hyphen,
 *   apostrophe, period), without case or accents, plus the whole name with
 *   its separators removed: "O'Brien-Nkemelu" → `o`, `brien`, `nkemelu`,
 *   `obriennkemelu`. A query word matches the start of a term.
 * - Clinic number: its parts and the whole without separators.
 * - Phone: digits only, leading zeros dropped, every ending of 4 digits or
 *   more, stored with a `#` so they never match a name: "+251 911 234 567"
 *   and "0911 234 567" both hold `#911234567`. A phone query drops its
 *   grouping, its `+` and its leading zeros; it matches the start of an
 *   ending (so the digits as typed, with or without the trunk 0), or, without
 *   1 to 3 leading digits (a country code), a whole ending.
 */

/** Separators inside names and clinic numbers. */
const SEPARATORS = /[\s\-‐-―'’‘`´.,/]+/u;
const PHONE_PREFIX = '#';
const MIN_PHONE_ENDING = 4;
/** A national number is at least this long, so a country code is only dropped from longer queries. */
const MIN_NATIONAL_DIGITS = 7;

/** Lower case without accents: "Núñez" and "nunez" are one term. */
export function foldText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
}

/** The words of a name or number, folded, split at separators. */
export function wordParts(text: string): string[] {
  return foldText(text).split(SEPARATORS).filter(Boolean);
}

/** A phone's digits without grouping, `+` or leading zeros; '' when it has none. */
export function phoneDigits(text: string): string {
  return text.replace(/\D+/g, '').replace(/^0+/, '');
}

/** The search terms of one patient (deduplicated). */
export function patientSearchTerms(patient: Readonly<Record<string, unknown>>): string[] {
  const terms = new Set<string>();
  for (const field of ['given_name', 'family_name', 'identifier'] as const) {
    const value = patient[field];
    if (typeof value !== 'string') continue;
    const parts = wordParts(value);
    for (const part of parts) terms.add(part);
    if (parts.length > 1) terms.add(parts.join(''));
  }
  if (typeof patient.phone === 'string') {
    const digits = phoneDigits(patient.phone);
    for (let start = 0; start <= digits.length - MIN_PHONE_ENDING; start++)
      terms.add(PHONE_PREFIX + digits.slice(start));
  }
  return [...terms];
}

/** One lookup in the term index: terms starting with `prefix`, or equal to one of `exact`. */
export type TermLookup = { readonly prefixes: readonly string[]; readonly exact: readonly string[] };

/**
 * What a query must match: every lookup in the list must match some term of
 * the patient. A query of only digits and phone punctuation (3 digits or
 * more) is a phone or clinic-number lookup; anything else is words.
 */
export function queryLookups(query: string): TermLookup[] {
  const trimmed = query.trim();
  if (/^[\d\s+()\-.]+$/.test(trimmed) && trimmed.replace(/\D/g, '').length >= 3) {
    const digits = phoneDigits(trimmed);
    const all = trimmed.replace(/\D+/g, '');
    const exact: string[] = [];
    for (let drop = 1; drop <= 3; drop++) {
      if (digits.length - drop >= MIN_NATIONAL_DIGITS) exact.push(PHONE_PREFIX + phoneDigits(digits.slice(drop)));
    }
    // The digits also start a clinic number's part ("0042").
    return [{ prefixes: [...(digits ? [PHONE_PREFIX + digits] : []), all], exact }];
  }
  return trimmed
    .split(/\s+/)
    .flatMap(wordParts)
    .slice(0, 8)
    .map((part) => ({ prefixes: [part], exact: [] }));
}

/** The phone endings under which a patient with `phone` would be found as "the same phone". */
export function samePhoneTerms(phone: string): string[] {
  const digits = phoneDigits(phone);
  if (digits.length < MIN_NATIONAL_DIGITS) return [];
  const terms = [PHONE_PREFIX + digits];
  for (let drop = 1; drop <= 3; drop++)
    if (digits.length - drop >= MIN_NATIONAL_DIGITS) terms.push(PHONE_PREFIX + phoneDigits(digits.slice(drop)));
  return terms;
}
