/** Members of an organization, and inviting people by email (the person accepts on their own device, PROTOCOL §1b). */
import type { OrgInvitationsResponse } from '@clinicsync/protocol';
import { useCallback, useEffect, useRef } from 'react';
import type { InviteBody, MemberView } from '../../shared/local-api.ts';
import { api } from '../api/local-client.ts';
import { useLocalQuery } from './useLocalQuery.ts';

export function useMembers(orgId: string) {
  const query = useLocalQuery<MemberView[]>(`/api/orgs/${orgId}/members`);
  const { data, reload } = query;
  // Members who joined by accepting wrote their own membership row, so the trail names them. Asked again when a
  // member this device cannot name yet appears (a colleague accepting while the page is open), once per person.
  const asked = useRef<{ orgId: string; users: Set<string>; once: boolean } | null>(null);
  useEffect(() => {
    if (asked.current?.orgId !== orgId) asked.current = { orgId, users: new Set(), once: false };
    const state = asked.current;
    const unnamed = (data ?? [])
      .filter((m) => m.name === null)
      .map((m) => String(m.row.user_id))
      .filter((id) => !state.users.has(id));
    if (state.once && unnamed.length === 0) return;
    state.once = true;
    for (const id of unnamed) state.users.add(id);
    void api.get(`/api/orgs/${orgId}/audit?table=members`).then(reload, () => undefined);
  }, [orgId, data, reload]);
  return query;
}

/** The organization's pending invitations (admins), inviting and withdrawing. */
export function useOrgInvitations(orgId: string) {
  const query = useLocalQuery<OrgInvitationsResponse>(`/api/orgs/${orgId}/invitations`);
  const { reload } = query;
  const invite = useCallback(
    async (body: InviteBody) => {
      await api.post<{ invitationId: string }>(`/api/orgs/${orgId}/invitations`, body);
      reload();
    },
    [orgId, reload],
  );
  const withdraw = useCallback(
    async (invitationId: string) => {
      await api.delete(`/api/orgs/${orgId}/invitations/${encodeURIComponent(invitationId)}`);
      reload();
    },
    [orgId, reload],
  );
  return { ...query, invite, withdraw };
}
