/**
 * The browser host's line under the app: how much this site's storage holds
 * and whether the browser promised to keep it. Read again whenever the
 * store's data changes (a first visit starts empty and fills in seconds)
 * and every half minute.
 */
import { useDataVersion } from '@clinicsync/desktop/src/ui/hooks/useFeed.tsx';
import { useEffect, useState } from 'react';
import { formatBytes, readStorage, type StorageReport } from './storage-estimate.ts';

export function StorageBar() {
  const [report, setReport] = useState<StorageReport | null>(null);
  const dataVersion = useDataVersion();
  // biome-ignore lint/correctness/useExhaustiveDependencies: a change of the store's data is the trigger to read again.
  useEffect(() => {
    let alive = true;
    const refresh = () => void readStorage().then((next) => alive && setReport(next));
    refresh();
    const timer = setInterval(refresh, 30_000);
    return () => {
      alive = false;
      clearInterval(timer);
    };
  }, [dataVersion]);
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
