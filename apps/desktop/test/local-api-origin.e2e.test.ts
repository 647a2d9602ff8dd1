/** Journey: another site open in the same browser tries to read patient data through the desktop's local API. */
import { describe, expect, it } from 'vitest';
import { chromiumMissing } from './support/browser.ts';
import { createAccountAndOrganization, registerPatient, useClinic } from './support/clinic.ts';

const skipReason = chromiumMissing();
if (skipReason) console.warn(skipReason);

describe.skipIf(skipReason !== null)('clinic desktop in Chromium: the local API and other sites', () => {
  const clinic = useClinic();

  it('does not let another site read patient data through the local API', async () => {
    await createAccountAndOrganization(clinic);
    await registerPatient(clinic.a.page, 'Amina', 'Bello');
    const evil = await clinic.browser.newPage();
    // Any page not served by the app: another origin on the same machine.
    await evil.goto(`${clinic.server.url}/healthz`);
    const attempts = await evil.evaluate(async (base) => {
      const tries: Record<string, string> = {};
      const attempt = async (name: string, run: () => Promise<Response>) => {
        try {
          const res = await run();
          tries[name] = res.type === 'opaque' ? 'opaque' : `${res.status}:${(await res.text()).slice(0, 40)}`;
        } catch {
          tries[name] = 'blocked';
        }
      };
      await attempt('cors read', () => fetch(`${base}/api/orgs`));
      // 127.0.0.1 on another port is the same site: the browser sends the launch cookie along, and the desktop still refuses.
      await attempt('with credentials', () => fetch(`${base}/api/orgs`, { credentials: 'include' }));
      await attempt('write', () =>
        fetch(`${base}/api/records/patients`, { method: 'POST', mode: 'no-cors', credentials: 'include', body: '{}' }),
      );
      await attempt('no-cors', () => fetch(`${base}/api/orgs`, { mode: 'no-cors' }));
      await attempt('page', () => fetch(`${base}/`));
      return tries;
    }, clinic.a.desktop.origin);
    // Blocked outright, or opaque at best (a no-cors answer the page cannot read; Chromium also drops it for CORP).
    expect(attempts).toEqual({
      'cors read': 'blocked',
      'with credentials': 'blocked',
      write: expect.stringMatching(/^(blocked|opaque)$/),
      'no-cors': expect.stringMatching(/^(blocked|opaque)$/),
      page: 'blocked',
    });
    await evil.close();
  }, 60_000);
});
