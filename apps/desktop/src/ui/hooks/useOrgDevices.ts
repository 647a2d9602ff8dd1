/** The organization's devices as the server reports them (admins), and revoking one. */
import type { OrgDevice } from '@clinicsync/protocol';
import { useCallback } from 'react';
import { api } from '../api/local-client.ts';
import { useLocalQuery } from './useLocalQuery.ts';

export function useOrgDevices(orgId: string) {
  const query = useLocalQuery<{ devices: OrgDevice[] }>(`/api/orgs/${orgId}/devices`);
  const revoke = useCallback(
    (deviceId: string, userId: string) =>
      api.delete(`/api/orgs/${orgId}/devices/${encodeURIComponent(deviceId)}?userId=${encodeURIComponent(userId)}`),
    [orgId],
  );
  return { ...query, revoke };
}
