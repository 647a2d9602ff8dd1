import type { OrgDevice } from '@clinicsync/protocol';
import { useMemo, useState } from 'react';
import type { OrganizationView } from '../../shared/local-api.ts';
import { LocalApiError } from '../api/local-client.ts';
import { ago, formatDateTime, now } from '../clock.ts';
import { deviceHealthCopy, hasUnsent } from '../copy/device-health-copy.ts';
import { useOrgDevices } from '../hooks/useOrgDevices.ts';
import { ErrorNotice } from './ErrorNotice.tsx';

type SortKey = 'oldest_pending' | 'name' | 'last_seen';

/** When the oldest unsent edit was made; devices without unsent edits sort after every device with some. */
const oldestUnsent = (d: OrgDevice) =>
  hasUnsent(d) && d.oldestPendingAt ? Date.parse(d.oldestPendingAt) : Number.POSITIVE_INFINITY;
const lastSeen = (d: OrgDevice) =>
  Math.max(d.lastPushAt ? Date.parse(d.lastPushAt) : 0, d.lastPullAt ? Date.parse(d.lastPullAt) : 0);

function sortDevices(devices: readonly OrgDevice[], key: SortKey): OrgDevice[] {
  const list = [...devices];
  switch (key) {
    case 'oldest_pending':
      // Unsent edits first, oldest first: the devices that risk losing work.
      return list.sort(
        (a, b) => oldestUnsent(a) - oldestUnsent(b) || (b.pending ?? 0) - (a.pending ?? 0) || lastSeen(a) - lastSeen(b),
      );
    case 'name':
      return list.sort((a, b) => a.deviceName.localeCompare(b.deviceName) || a.userName.localeCompare(b.userName));
    case 'last_seen':
      return list.sort((a, b) => lastSeen(a) - lastSeen(b));
  }
}

/** Administrators see every member device's sync health and can revoke a lost device. */
export function DevicesPage({ org }: { readonly org: OrganizationView }) {
  const { data, error, revoke, reload } = useOrgDevices(org.id);
  const [sort, setSort] = useState<SortKey>('oldest_pending');
  const [confirm, setConfirm] = useState<string | null>(null);
  const [failure, setFailure] = useState<LocalApiError | null>(null);
  const devices = useMemo(() => sortDevices(data?.devices ?? [], sort), [data, sort]);
  const at = now();
  const holding = devices.filter((d) => hasUnsent(d) && !d.syncTokenRevoked);
  const oldest =
    holding
      .map((d) => d.oldestPendingAt)
      .filter((t): t is string => t !== null)
      .sort((a, b) => Date.parse(a) - Date.parse(b))[0] ?? null;

  const header = (key: SortKey, label: string) => (
    <th scope="col" aria-sort={sort === key ? 'ascending' : 'none'}>
      <button type="button" className="sort-button" onClick={() => setSort(key)}>
        {label}
        {sort === key ? ' ▲' : ''}
      </button>
    </th>
  );

  const doRevoke = async (d: OrgDevice) => {
    setFailure(null);
    try {
      await revoke(d.deviceId, d.userId);
      setConfirm(null);
      reload();
    } catch (e) {
      setFailure(e instanceof LocalApiError ? e : new LocalApiError(0, 'internal', 'Could not revoke the device.'));
    }
  };

  return (
    <section aria-labelledby="devices-title">
      <div className="page-head">
        <h1 id="devices-title">Devices</h1>
        <button type="button" className="button" onClick={reload}>
          Refresh
        </button>
      </div>
      <p className="muted">
        Every computer of your organization's members, as last reported to the server. Devices that have held unsent
        changes for days are at risk of losing work.
      </p>
      <ErrorNotice error={error ?? failure} />
      {data && (
        <p className="devices-summary">
          {holding.length === 0
            ? 'No device reports changes that are not on the server yet.'
            : `${holding.length === 1 ? '1 device has' : `${holding.length} devices have`} changes not on the server yet${oldest ? `, the oldest made ${ago(oldest, at)}` : ''}.`}
        </p>
      )}
      {data && (
        <div className="table-scroll">
          <table className="data-table devices-table">
            <thead>
              <tr>
                <th scope="col">Health</th>
                {header('name', 'Device')}
                <th scope="col">Person</th>
                <th scope="col">Unsent</th>
                {header('oldest_pending', 'Oldest unsent')}
                <th scope="col">Conflicts</th>
                <th scope="col">Refused</th>
                {header('last_seen', 'Last seen')}
                <th scope="col">Version</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {devices.map((d) => {
                const health = deviceHealthCopy(d);
                const key = `${d.deviceId}-${d.userId}`;
                return (
                  <tr key={key} className={`health-${health.tone}`}>
                    <td data-label="Health">
                      <span className={`health-pill tone-${health.tone}`}>{health.label}</span>
                      {health.detail && <span className="muted small"> {health.detail}</span>}
                    </td>
                    <td data-label="Device">{d.deviceName}</td>
                    <td data-label="Person">{d.userName}</td>
                    <td data-label="Unsent">{hasUnsent(d) ? <strong>{d.pending}</strong> : (d.pending ?? '—')}</td>
                    <td data-label="Oldest unsent">
                      {hasUnsent(d) && d.oldestPendingAt ? (
                        <time dateTime={d.oldestPendingAt} title={formatDateTime(d.oldestPendingAt)}>
                          {ago(d.oldestPendingAt, at)}
                          <span className="muted small when"> {formatDateTime(d.oldestPendingAt)}</span>
                        </time>
                      ) : (
                        '—'
                      )}
                    </td>
                    <td data-label="Conflicts">{d.openConflicts ?? '—'}</td>
                    <td data-label="Refused">{d.deadLetters ?? '—'}</td>
                    <td data-label="Last seen">
                      {lastSeen(d) ? ago(new Date(lastSeen(d)).toISOString(), at) : 'never'}
                    </td>
                    <td data-label="Version">{d.appVersion ?? '—'}</td>
                    <td className="row-actions">
                      {d.syncTokenRevoked ? (
                        <span className="muted small">Revoked</span>
                      ) : confirm === key ? (
                        <>
                          <button type="button" className="button small danger" onClick={() => void doRevoke(d)}>
                            Confirm revoke
                          </button>
                          <button type="button" className="button small" onClick={() => setConfirm(null)}>
                            Cancel
                          </button>
                        </>
                      ) : (
                        <button
                          type="button"
                          className="button small"
                          onClick={() => setConfirm(key)}
                          aria-label={`Revoke ${d.deviceName} of ${d.userName}`}
                        >
                          Revoke
                        </button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
