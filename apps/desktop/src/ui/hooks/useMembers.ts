/** Members of an organization, and adding one by email (through the server's user look-up). */
import { useCallback } from 'react';
import type { AddMemberBody, MemberView } from '../../shared/local-api.ts';
import { api } from '../api/local-client.ts';
import { useLocalQuery } from './useLocalQuery.ts';

export function useMembers(orgId: string) {
  const query = useLocalQuery<MemberView[]>(`/api/orgs/${orgId}/members`);
  const add = useCallback((body: AddMemberBody) => api.post<MemberView>(`/api/orgs/${orgId}/members`, body), [orgId]);
  return { ...query, add };
}
