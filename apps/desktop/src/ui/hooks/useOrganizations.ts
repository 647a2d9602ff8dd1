/** The organizations of the signed-in user on this device, and creating one. */
import { useCallback } from 'react';
import type { CreateOrganizationBody, LocalRow, OrganizationView } from '../../shared/local-api.ts';
import { api } from '../api/local-client.ts';
import { useLocalQuery } from './useLocalQuery.ts';

export function useOrganizations() {
  const query = useLocalQuery<OrganizationView[]>('/api/orgs');
  const create = useCallback(
    (body: CreateOrganizationBody) => api.post<{ organization: LocalRow; team: LocalRow }>('/api/orgs', body),
    [],
  );
  return { ...query, create };
}
