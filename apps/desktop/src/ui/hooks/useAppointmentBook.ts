/** A team's appointments for one local day, with their patients. */
import type { BookEntry } from '../../shared/local-api.ts';
import { query } from '../api/local-client.ts';
import { dayRange } from '../clock.ts';
import { useLocalQuery } from './useLocalQuery.ts';

export function useAppointmentBook(orgId: string, teamId: string | null, day: string) {
  const { from, to } = dayRange(day);
  const path = teamId
    ? `/api/orgs/${orgId}/book${query({ teamId, from: from.toISOString(), to: to.toISOString() })}`
    : null;
  return useLocalQuery<BookEntry[]>(path);
}
