/** Patients of an organization matching a search, as the user types. */
import { query } from '../api/local-client.ts';
import type { LocalRow } from '../../shared/local-api.ts';
import { useLocalQuery } from './useLocalQuery.ts';

export function usePatients(orgId: string, text: string, limit = 50) {
  return useLocalQuery<LocalRow[]>(`/api/orgs/${orgId}/patients${query({ q: text.trim(), limit })}`);
}
