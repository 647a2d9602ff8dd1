/**
 * Persistent storage for the site (so the browser does not evict the store
 * under storage pressure) and how much of it the app uses.
 */
export type StorageReport = {
  readonly persisted: boolean;
  readonly usageBytes: number | null;
  readonly quotaBytes: number | null;
};

/** Asks once for persistent storage; the browser may grant it silently or not at all. */
export async function requestPersistence(): Promise<boolean> {
  try {
    if (await navigator.storage.persisted()) return true;
    return await navigator.storage.persist();
  } catch {
    return false;
  }
}

export async function readStorage(): Promise<StorageReport> {
  try {
    const [persisted, estimate] = await Promise.all([navigator.storage.persisted(), navigator.storage.estimate()]);
    return { persisted, usageBytes: estimate.usage ?? null, quotaBytes: estimate.quota ?? null };
  } catch {
    return { persisted: false, usageBytes: null, quotaBytes: null };
  }
}

/** "1.4 MB" */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return unit === 0 ? `${value} bytes` : `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}
