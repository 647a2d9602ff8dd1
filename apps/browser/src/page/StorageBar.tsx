/**
 * The browser host's line under the app: how much this site's storage holds
 * and whether the browser promised to keep it. Refreshed every half minute.
 */
import { useEffect, useState } from 'react';
import { formatBytes, readStorage, type StorageReport } from './storage-estimate.ts';

export function StorageBar() {
  const [report, setReport] = useState<StorageReport | null>(null);
  useEffect(() => {
    let alive = true;
    const refresh = () => void readStorage().then((next) => alive && setReport(next));
    refresh();
    const timer = setInterval(refresh, 30_000);
    return () => {
      alive = false;
      clearInterval(timer);
    };
  }, []);
  if (!report) return null;
  const used = report.usageBytes === null ? 'unknown' : formatBytes(report.usageBytes);
  const quota = report.quotaBytes === null ? '' : ` of ${formatBytes(report.quotaBytes)}`;
  return (
    <footer className="browser-storage" aria-label="Browser storage">
      <span>
        Storage used on this browser: {used}
        {quota}.
      </span>{' '}
      <span>
        {report.persisted
          ? 'Kept persistently.'
          : 'Not marked persistent: the browser may clear it when space runs low. Install the app or allow storage to keep it.'}
      </span>
    </footer>
  );
}
