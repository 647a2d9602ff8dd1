/**
 * The desktop's local API as another program on the machine meets it: the
 * real bin, spoken to over raw HTTP. Only a browser that opened the printed
 * URL (and so holds this launch's cookie and its page holds the page key), on
 * its own address, gets in; patient data also needs a session.
 */
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAGE_KEY_HEADER, PAGE_KEY_PARAM } from '../src/shared/page-key.ts';
import { startDesktopProcess, type DesktopProcess, type LaunchCredentials } from './support/desktop-process.ts';
import { tempDir } from '../../../test/support/temp-dir.ts';

type Answer = { status: number; body: string; headers: Record<string, string | string[] | undefined> };

/** A raw request, so the Host header can be anything (as after DNS rebinding). */
function raw(
  url: string,
  path: string,
  headers: Record<string, string> = {},
  method = 'GET',
  body?: string,
): Promise<Answer> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname: target.hostname, port: target.port, path, method, headers }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, headers: res.headers }));
    });
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

describe('local API seen from other programs', () => {
  const dataDir = join(tempDir('local-api'), 'desktop');
  // Nothing listens on port 9: sign-in meets an unreachable server.
  const serverUrl = 'http://127.0.0.1:9';
  let desktop: DesktopProcess;
  let host: string;
  let cookie: string;
  let own: LaunchCredentials;

  beforeAll(async () => {
    desktop = await startDesktopProcess({ serverUrl, dataDir });
    host = desktop.host;
    own = await desktop.credentials();
    cookie = own.cookie;
  }, 90_000);
  afterAll(async () => {
    await desktop?.stop();
  });

  it('prints a URL with an open code that sets the launch cookie, and answers the API only with that cookie', async () => {
    expect(desktop.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?code=[A-Za-z0-9_-]{40,}$/);
    expect(cookie).toMatch(/^clinicsync_launch_\d+=[A-Za-z0-9_-]{40,}$/);
    expect((await raw(desktop.url, '/api/feed?after=0', { host })).status).toBe(401);
    const [name, value] = cookie.split('=') as [string, string];
    expect(
      (await raw(desktop.url, '/api/feed?after=0', { host, cookie: `${name}=${'x'.repeat(value.length)}` })).status,
    ).toBe(401);
    const feed = await raw(desktop.url, '/api/feed?after=0', { host, ...own });
    expect(feed.status).toBe(200);
    expect(JSON.parse(feed.body).session).toEqual({ state: 'signed_out' });
    expect(feed.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('opens one browser per link: a used link lets no one else in, and the next link is printed and saved', async () => {
    const printed = () => [...desktop.output().matchAll(/ClinicSync desktop: (http:\/\/\S+)/g)].map((m) => m[1]!);
    // The first printed link was used by `cookie()` above: a process that copied it gets nothing.
    const used = printed()[0]!;
    const stolen = await raw(used, `/${new URL(used).search}`, { host });
    expect(stolen.status).toBe(403);
    expect(stolen.headers['set-cookie']).toBeUndefined();
    expect(stolen.body).toMatch(/Open ClinicSync from its link/);
    // The browser already let in opens the same link again without being refused.
    const again = await raw(used, `/${new URL(used).search}`, { host, cookie });
    expect(again.status).toBe(303);
    expect(again.headers.location).toBe('/');
    // The next link: printed as the first was, in the 0600 file, and good for one more browser.
    await expect.poll(() => printed().length).toBeGreaterThan(1);
    const next = printed().at(-1)!;
    expect(next).not.toBe(used);
    expect(readFileSync(desktop.urlFile, 'utf8')).toBe(`${next}\n`);
    const opened = await raw(next, `/${new URL(next).search}`, { host });
    expect(opened.status).toBe(303);
    const secondCookie = String(opened.headers['set-cookie']).split(';')[0]!;
    const secondKey = new URL(String(opened.headers.location), next).searchParams.get(PAGE_KEY_PARAM)!;
    expect(
      (await raw(next, '/api/feed?after=0', { host, cookie: secondCookie, [PAGE_KEY_HEADER]: secondKey })).status,
    ).toBe(200);
    expect((await raw(next, `/${new URL(next).search}`, { host })).status).toBe(403);
  });

  it('gives a program on another port that received the launch cookie nothing: the cookie alone opens no API route and fetches no page key', async () => {
    // Browsers send the cookie to every port of 127.0.0.1, so such a program may hold it, and replay it with the app's Host.
    for (const path of ['/api/feed?after=0', '/api/session', '/api/orgs', '/api/records/patients']) {
      const answer = await raw(desktop.url, path, { host, cookie });
      expect(answer.status, path).toBe(401);
      expect(JSON.parse(answer.body).error.code, path).toBe('unauthorized');
    }
    const signIn = await raw(
      desktop.url,
      '/api/session/sign-in',
      { host, cookie, 'content-type': 'application/json' },
      'POST',
      JSON.stringify({ email: 'ada@example.org', password: 'whatever' }),
    );
    expect(signIn.status).toBe(401);
    // No answer to the cookie hands out the page key: a link with a guessed or used code (the fresh one is the
    // person's alone: printed to them and kept in a 0600 file), or none, leads to the bare address.
    const used = [...desktop.output().matchAll(/ClinicSync desktop: (http:\/\/\S+)/g)].map((m) => m[1]!)[0]!;
    for (const path of ['/', `/?code=whatever`, `/${new URL(used).search}`, `/?${PAGE_KEY_PARAM}=x`]) {
      const answer = await raw(desktop.url, path, { host, cookie });
      expect(JSON.stringify(answer), path).not.toContain(own[PAGE_KEY_HEADER]);
      if (answer.status === 303) expect(answer.headers.location, path).toBe('/');
    }
  });

  it('refuses a Host other than its own 127.0.0.1 address (DNS rebinding) and other origins', async () => {
    for (const other of [
      'clinicsync.evil.example',
      `localhost:${new URL(desktop.url).port}`,
      `evil.example:${new URL(desktop.url).port}`,
    ]) {
      expect((await raw(desktop.url, '/', { host: other })).status, other).toBe(403);
      expect((await raw(desktop.url, '/api/feed?after=0', { host: other, cookie })).status, other).toBe(403);
    }
    expect((await raw(desktop.url, '/api/feed?after=0', { host, origin: 'http://evil.example', cookie })).status).toBe(
      403,
    );
  });

  it('serves no patient data without a signed-in session, even with the launch cookie', async () => {
    const res = await raw(desktop.url, '/api/orgs', { host, ...own });
    expect(res.status).toBe(401);
    expect(JSON.parse(res.body).error).toMatchObject({ code: 'unauthorized', message: 'Sign in to continue.' });
    expect((await raw(desktop.url, '/api/records/patients', { host, ...own })).status).toBe(401);
    expect((await raw(desktop.url, '/api/sync/conflicts', { host, ...own })).status).toBe(401);
  });

  it('says plainly that sign-in needs the server when it is unreachable', async () => {
    const res = await raw(
      desktop.url,
      '/api/session/sign-in',
      { host, ...own, 'content-type': 'application/json' },
      'POST',
      JSON.stringify({ email: 'ada@example.org', password: 'whatever' }),
    );
    expect(res.status).toBe(503);
    expect(JSON.parse(res.body).error).toEqual({
      code: 'unavailable',
      message: expect.stringMatching(/cannot be reached/),
      details: {},
    });
  });

  it('listens on 127.0.0.1 only', async () => {
    const external = Object.values(networkInterfaces())
      .flat()
      .find((a) => a && a.family === 'IPv4' && !a.internal);
    if (!external) {
      console.warn(
        'no non-loopback IPv4 interface on this machine; the listen address is checked by the Host test only',
      );
      return;
    }
    const port = new URL(desktop.url).port;
    await expect(raw(`http://${external.address}:${port}`, '/', { host })).rejects.toThrow(/ECONNREFUSED/);
  });

  it('draws a new code and cookie at every launch and keeps the device id', async () => {
    const before = JSON.parse((await raw(desktop.url, '/api/feed?after=0', { host, ...own })).body).device.deviceId;
    const oldUrl = desktop.url;
    await desktop.stop();
    desktop = await startDesktopProcess({ serverUrl, dataDir });
    host = desktop.host;
    const next = await desktop.credentials();
    expect(desktop.url).not.toBe(oldUrl);
    expect(next.cookie.split('=')[1]).not.toBe(cookie.split('=')[1]);
    expect(next[PAGE_KEY_HEADER]).not.toBe(own[PAGE_KEY_HEADER]);
    // An old cookie, even under the new port's name, an old page key and an old code open nothing.
    const oldUnderNewName = `${next.cookie.split('=')[0]}=${cookie.split('=')[1]}`;
    expect((await raw(desktop.url, '/api/feed?after=0', { host, ...next, cookie: oldUnderNewName })).status).toBe(401);
    expect((await raw(desktop.url, '/api/feed?after=0', { host, ...own, cookie: next.cookie })).status).toBe(401);
    const oldCode = new URL(oldUrl).search;
    const reopened = await raw(desktop.url, `/${oldCode}`, { host });
    expect(reopened.status).toBe(403);
    expect(reopened.headers['set-cookie']).toBeUndefined();
    const feed = JSON.parse((await raw(desktop.url, '/api/feed?after=0', { host, ...next })).body);
    expect(feed.device.deviceId).toBe(before);
    own = next;
    cookie = next.cookie;
  }, 60_000);
});
