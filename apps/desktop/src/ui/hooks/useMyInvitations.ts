/** The invitations waiting for the signed-in person, accepting or declining them, and leaving an organization (PROTOCOL §1b). */
import type { AcceptInvitationResponse, MyInvitationsResponse } from '@clinicsync/protocol';
import { useCallback } from 'react';
import { api } from '../api/local-client.ts';
import { useLocalQuery } from './useLocalQuery.ts';

export function useMyInvitations() {
  const query = useLocalQuery<MyInvitationsResponse>('/api/invitations');
  const { reload } = query;
  const accept = useCallback(
    async (invitationId: string) => {
      const answer = await api.post<AcceptInvitationResponse>(
        `/api/invitations/${encodeURIComponent(invitationId)}/accept`,
      );
      reload();
      return answer;
    },
    [reload],
  );
  const decline = useCallback(
    async (invitationId: string) => {
      await api.post(`/api/invitations/${encodeURIComponent(invitationId)}/decline`);
      reload();
    },
    [reload],
  );
  return { ...query, accept, decline };
}

/** Ends the signed-in person's membership of `orgId` (a local change that syncs). */
export function leaveOrganization(orgId: string): Promise<unknown> {
  return api.post(`/api/orgs/${encodeURIComponent(orgId)}/leave`);
}
