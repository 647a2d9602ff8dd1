import { Hono } from 'hono';
import { beforeEach, describe, expect, it } from 'vitest';
import { PAGE_KEY_HEADER } from '../shared/page-key.ts';
import { guardLocalRequest } from './guard-local-request.ts';
import { drawLaunchAccess, launchCookieName, readCookie, type LaunchAccess } from './launch-access.ts';
import { HOW_TO_OPEN_PAGE, openAppPage } from './open-app-page.ts';

const PAGE = '<html><body>the app</body></html>';
const HOST = { host: '127.0.0.1:5173' };

/** A launch whose values are numbered, so a test can tell them apart; the codes announced are kept. */
function launch(): LaunchAccess & { readonly announced: string[] } {
  let n = 0;
  const announced: string[] = [];
  const access = drawLaunchAccess(
    (bytes) => `value-${++n}-`.padEnd(bytes + 11, 'x'),
    (code) => announced.push(code),
  );
  return Object.assign(access, { announced });
}

let ACCESS = launch();
beforeEach(() => {
  ACCESS = launch();
});

function app() {
  const a = new Hono();
  a.use(guardLocalRequest({ port: () => 5173, secret: ACCESS.secret, pageKey: ACCESS.pageKey }));
  a.get('/', openAppPage({ port: () => 5173, access: ACCESS, page: () => PAGE }));
  a.get('/api/feed', (c) => c.json({ ok: true }));
  return a;
}

/** Opens the printed URL as a browser would: take the cookie from the answer, follow the redirect. */
async function exchange(path = `/?code=${ACCESS.code}`, cookie?: string) {
  const res = await app().request(path, { headers: { ...HOST, ...(cookie ? { cookie } : {}) } });
  const setCookie = res.headers.get('set-cookie') ?? '';
  return { res, setCookie, cookie: setCookie.split(';')[0]! };
}

describe('opening the app with the printed code', () => {
  it('trades the code for an HttpOnly, SameSite=Strict cookie and redirects to the address with the page key', async () => {
    const { res, setCookie, cookie } = await exchange();
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/?key=${ACCESS.pageKey}`);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).toMatch(/Path=\//);
    expect(setCookie).not.toMatch(/Max-Age|Expires|Domain/i);
    expect(readCookie(cookie, launchCookieName(5173))).toBe(ACCESS.secret);
    // The answer itself carries nothing but the redirect.
    expect(await res.text()).not.toContain(ACCESS.secret);
    const page = await app().request(`/?key=${ACCESS.pageKey}`, { headers: { ...HOST, cookie } });
    expect(await page.text()).toBe(PAGE);
    const key = { [PAGE_KEY_HEADER]: ACCESS.pageKey };
    expect((await app().request('/api/feed', { headers: { ...HOST, cookie, ...key } })).status).toBe(200);
    // The cookie alone, as a program on another port may have received it, opens no API route.
    expect((await app().request('/api/feed', { headers: { ...HOST, cookie } })).status).toBe(401);
  });

  it('uses a code up: a copy of the link opens nothing, the next code opens one more browser', async () => {
    const used = ACCESS.code;
    const first = await exchange();
    expect(first.res.status).toBe(303);
    const copy = await exchange(`/?code=${used}`);
    expect(copy.res.status).toBe(403);
    expect(copy.setCookie).toBe('');
    expect(ACCESS.announced).toEqual([ACCESS.code]);
    expect(ACCESS.code).not.toBe(used);
    const second = await exchange();
    expect(second.res.status).toBe(303);
    expect(second.cookie).toBe(first.cookie);
    expect(ACCESS.announced).toHaveLength(2);
  });

  it('opens the app for a browser that has the cookie whatever used or guessed link it opens, without the page key', async () => {
    const used = ACCESS.code;
    const { cookie } = await exchange();
    const next = ACCESS.code;
    for (const code of ['used-or-guessed', used]) {
      const again = await exchange(`/?code=${code}`, cookie);
      expect(again.res.status).toBe(303);
      // Without the page key: the cookie alone must never fetch it (browsers send the cookie to other ports too).
      expect(again.res.headers.get('location')).toBe('/');
      expect(await again.res.text()).not.toContain(ACCESS.pageKey);
      expect(again.setCookie).toBe('');
    }
    expect(ACCESS.code).toBe(next);
  });

  it('hands the page key again to a browser with the cookie that opens a fresh link (its storage lost the key)', async () => {
    const { cookie } = await exchange();
    const fresh = await exchange(`/?code=${ACCESS.code}`, cookie);
    expect(fresh.res.status).toBe(303);
    expect(new URL(String(fresh.res.headers.get('location')), 'http://127.0.0.1:5173').searchParams.get('key')).toBe(
      ACCESS.pageKey,
    );
  });

  it('serves only the how-to-open page without the cookie, and no secret, code or app', async () => {
    const res = await app().request('/', { headers: HOST });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toBe(HOW_TO_OPEN_PAGE);
    expect(text).not.toContain(ACCESS.secret);
    expect(text).not.toContain(ACCESS.pageKey);
    expect(text).not.toContain(ACCESS.code);
    expect(res.headers.get('set-cookie')).toBeNull();
  });

  it('refuses a wrong, truncated, empty or earlier code without setting a cookie', async () => {
    for (const code of ['guess', ACCESS.code.slice(0, -1), '', `${ACCESS.code}x`, ACCESS.secret]) {
      const { res } = await exchange(`/?code=${encodeURIComponent(code)}`);
      expect(res.status, code).toBe(403);
      expect(res.headers.get('set-cookie'), code).toBeNull();
      expect(await res.text()).toBe(HOW_TO_OPEN_PAGE);
    }
  });

  it('does not trade the code on a rebinding host name', async () => {
    const res = await app().request(`/?code=${ACCESS.code}`, { headers: { host: 'evil.example:5173' } });
    expect(res.status).toBe(403);
    expect(res.headers.get('set-cookie')).toBeNull();
  });
});
