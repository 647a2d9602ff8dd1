/**
 * Journeys: another site open in the same browser tries to read patient data through the desktop's local API;
 * a program of another account, listening on another port of 127.0.0.1, replays the launch cookie the browser sent it.
 */
import { createServer, request, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
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

describe.skipIf(skipReason !== null)('clinic desktop in Chromium: a program on another local port', () => {
  const clinic = useClinic();

  it('gives a program on another local port nothing with the launch cookie the browser sends it', async () => {
    await createAccountAndOrganization(clinic);
    await registerPatient(clinic.a.page, 'Amina', 'Bello');
    // The other program: it keeps whatever the browser sends it.
    const seen: IncomingHttpHeaders[] = [];
    const listener = createServer((req, res) => {
      seen.push(req.headers);
      res.setHeader('connection', 'close');
      res.end('<!doctype html><title>Printer setup</title>');
    });
    await new Promise<void>((ready) => listener.listen(0, '127.0.0.1', ready));
    try {
      const port = (listener.address() as AddressInfo).port;
      const lured = await clinic.browser.newPage();
      await lured.goto(`http://127.0.0.1:${port}/`);
      await lured.close();
      const cookie = seen[0]?.cookie ?? '';
      // Browsers send a cookie of 127.0.0.1 to every port of it: the program holds the launch cookie.
      expect(cookie).toContain(`clinicsync_launch_${clinic.a.desktop.port}=`);
      // Replayed over raw HTTP with the desktop's own Host, it opens no API route.
      for (const path of ['/api/orgs', '/api/feed?after=0', '/api/session']) {
        const answer = await replay(clinic.a.desktop.port, path, { host: clinic.a.desktop.host, cookie });
        expect(answer.status, path).toBe(401);
        expect(answer.body, path).not.toContain('Bello');
      }
      // The person's own page still works.
      await clinic.a.page.getByRole('link', { name: 'Patients', exact: true }).click();
      await clinic.a.page.getByRole('link', { name: /Bello, Amina/ }).waitFor();
    } finally {
      listener.closeAllConnections();
      await new Promise((closed) => listener.close(closed));
    }
  }, 60_000);
});

function replay(
  port: number,
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ hostname: '127.0.0.1', port, path, headers }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}
