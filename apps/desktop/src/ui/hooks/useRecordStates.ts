/** Which records of a table are not simply sent (not sent yet, refused, in conflict), by record id. */
import { useMemo } from 'react';
import type { TableName } from '@clinicsync/protocol';
import type { RecordSyncView } from '../../shared/local-api.ts';
import { useLocalQuery } from './useLocalQuery.ts';

export function useRecordStates(table: TableName): ReadonlyMap<string, RecordSyncView> {
  const { data } = useLocalQuery<RecordSyncView[]>(`/api/sync/record-states/${table}`);
  return useMemo(() => new Map((data ?? []).map((v) => [v.recordId, v])), [data]);
}
