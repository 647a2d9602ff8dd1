/** Deterministic synthetic patient rows, the same documents for every system measured. */
import { randomUUID } from 'node:crypto';

export type PatientRow = {
  id: string;
  organization_id: string;
  given_name: string;
  family_name: string;
  birth_date: string;
  sex: 'female' | 'male' | 'other' | 'unknown';
  phone: string;
  address: string;
  notes: string;
};

const GIVEN = ['Amina', 'Kwame', 'Lina', 'Tariq', 'Mei', 'Jonas', 'Priya', 'Samuel', 'Zara', 'Omar'];
const FAMILY = ['Okafor', 'Mensah', 'Haddad', 'Nguyen', 'Silva', 'Kowalski', 'Patel', 'Mwangi', 'Ali', 'Rossi'];
const SEXES = ['female', 'male', 'other', 'unknown'] as const;

/** `count` patients with random UUID keys (as clients create them offline). */
export function patientRows(organizationId: string, count: number): PatientRow[] {
  return Array.from({ length: count }, (_, i) => ({
    id: randomUUID(),
    organization_id: organizationId,
    given_name: GIVEN[i % GIVEN.length]!,
    family_name: `${FAMILY[(i * 7) % FAMILY.length]!}-${i}`,
    birth_date: `19${String(50 + (i % 50)).padStart(2, '0')}-0${1 + (i % 9)}-1${i % 9}`,
    sex: SEXES[i % SEXES.length]!,
    phone: `+254 7${String(i).padStart(8, '0')}`,
    address: `${i} Market Road, Kisumu`,
    notes: 'Seen at outreach clinic; follow up in two weeks.',
  }));
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
