/**
 * The browser app's first sync: a fresh Chromium profile opens `/app/`, the
 * user signs in, and the engine worker pulls the organization into SQLite
 * WASM in OPFS (PROTOCOL §7). Timed from the first pull request the worker
 * sends to the moment the page shows the store up to date; rows are counted
 * from the pull answers themselves. The page's main thread is watched for
 * long tasks (the Long Tasks API, installed before the app's own scripts):
 * the whole pull and apply run in the worker, so the page should stay free.
 */
import type { Response as PlaywrightResponse } from 'playwright-core';
import { launchOnProfile } from '../../apps/browser/test/support/chromium-profile.ts';
import type { Session } from '../lib/clinic.ts';
import { benchTempDir } from '../lib/temp.ts';

export type BrowserInitialPull = {
  readonly ms: number;
  readonly rows: number;
  readonly rowsPerSecond: number;
  /** The longest task on the page's main thread during the sync (ms). */
  readonly longestTaskMs: number;
  /** Long tasks (over 50 ms) on the main thread during the sync. */
  readonly longTasks: number;
};

declare global {
  interface Window {
    __longTasks?: number[];
  }
}

/** Opens the app in a fresh profile, signs in as `session`'s user and waits out the first sync. */
export async function measureBrowserInitialPull(session: Session, expectedRows: number): Promise<BrowserInitialPull> {
  const context = await launchOnProfile(benchTempDir('chromium'));
  try {
    await context.addInitScript(() => {
      window.__longTasks = [];
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) window.__longTasks!.push(entry.duration);
      }).observe({ type: 'longtask', buffered: true });
    });
    const page = await context.newPage();
    await page.goto(`${session.base}/app/`, { timeout: 120_000 });
    await page.getByRole('heading', { name: 'Sign in to ClinicSync' }).waitFor({ timeout: 60_000 });

    let firstPullAt: number | null = null;
    let rows = 0;
    let lastPage: Promise<void> = Promise.resolve();
    let finished = false;
    context.on('request', (request) => {
      if (firstPullAt === null && request.url().includes('/v1/sync/pull')) firstPullAt = performance.now();
    });
    const counting = (response: PlaywrightResponse) => {
      if (!response.url().includes('/v1/sync/pull')) return;
      lastPage = lastPage.then(async () => {
        const body = (await response.json()) as { changes: unknown[]; hasMore: boolean };
        rows += body.changes.filter((c) => (c as { table?: string }).table === 'patients').length;
        if (!body.hasMore) finished = true;
      });
    };
    context.on('response', counting);

    await page.getByLabel('Email').fill(session.email);
    await page.getByLabel('Password').fill(session.password);
    await page.evaluate(() => (window.__longTasks = []));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText("Downloading your organization's records…", { exact: false }).waitFor({ timeout: 60_000 });
    // Done: the worker has applied the last page and the status bar says so.
    // Watched with a locator (a MutationObserver-free wait), so the measurement itself adds no long tasks.
    await page.locator('#initial-sync-label').waitFor({ state: 'detached', timeout: 600_000 });
    await page.getByText('Up to date', { exact: true }).waitFor({ timeout: 60_000 });
    const doneAt = performance.now();
    await lastPage;
    if (!finished) throw new Error('the browser finished without a last pull page');
    if (firstPullAt === null) throw new Error('the browser sent no pull');
    if (rows < expectedRows) throw new Error(`the browser received ${rows} patients, expected ${expectedRows}`);
    const longTasks = await page.evaluate(() => window.__longTasks ?? []);
    const ms = doneAt - firstPullAt;
    return {
      ms,
      rows,
      rowsPerSecond: (rows * 1000) / ms,
      longestTaskMs: Math.max(0, ...longTasks),
      longTasks: longTasks.length,
    };
  } finally {
    await context.close();
  }
}
