/** Teams of an organization. */
import type { LocalRow } from '../../shared/local-api.ts';
import { useLocalQuery } from './useLocalQuery.ts';

export function useTeams(orgId: string) {
  return useLocalQuery<LocalRow[]>(`/api/orgs/${orgId}/teams`);
}
