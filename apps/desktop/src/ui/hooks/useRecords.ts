/**
 * Rows of one table from the local store, and writing them. Writes go to the
 * local store and its outbox at once; sync happens in the background.
 */
import type { TableName } from '@clinicsync/protocol';
import type { LocalRow } from '../../shared/local-api.ts';
import { api, query } from '../api/local-client.ts';
import { useLocalQuery } from './useLocalQuery.ts';

/** One row by id (null id: nothing to load). */
export function useRecord(table: TableName, id: string | null) {
  return useLocalQuery<LocalRow>(id ? `/api/records/${table}/${encodeURIComponent(id)}` : null);
}

/** Rows matching equality filters, sorted. */
export function useRecords(
  table: TableName,
  where: Readonly<Record<string, string>> | null,
  sort: { orderBy?: string; desc?: boolean } = {},
) {
  const path = where
    ? `/api/records/${table}${query({ ...where, orderBy: sort.orderBy, desc: sort.desc ? 'true' : undefined })}`
    : null;
  return useLocalQuery<LocalRow[]>(path);
}

/** Insert, update and delete through the local store. */
export const recordWriter = {
  insert: (table: TableName, data: Record<string, unknown>) => api.post<LocalRow>(`/api/records/${table}`, { data }),
  update: (table: TableName, id: string, data: Record<string, unknown>) =>
    api.patch<LocalRow>(`/api/records/${table}/${encodeURIComponent(id)}`, { data }),
  remove: (table: TableName, id: string) =>
    api.delete<{ deleted: true }>(`/api/records/${table}/${encodeURIComponent(id)}`),
};
