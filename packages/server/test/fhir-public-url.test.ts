/**
 * Black-box: behind a proxy that forwards under another host, the operator
 * sets CLINICSYNC_PUBLIC_URL and every absolute link the FHIR routes write
 * (paging, the capability statement, the export job and its files) starts
 * with it, path prefix included; a Host or X-Forwarded-Host a client sends
 * cannot steer them. An address that is not one refuses to start.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signUp, type SignedUpUser } from './support/accounts.ts';
import { createOrganization, insertEvent, pushResults, rows } from './support/orgs.ts';
import { startServerProcess, type ServerProcess } from './support/server-process.ts';

const PUBLIC = 'https://clinic.example.org/clinicsync';

describe('FHIR links behind a proxy (CLINICSYNC_PUBLIC_URL)', () => {
  let server: ServerProcess;
  let alice: SignedUpUser;
  let base: string;

  /** What the proxy does: the public path, its prefix taken off, sent to the server. */
  const viaProxy = async (link: string, token: string, headers: Record<string, string> = {}) => {
    expect(link.startsWith(`${PUBLIC}/`), link).toBe(true);
    const res = await fetch(new URL(link.slice(PUBLIC.length), server.url), {
      headers: { authorization: `Bearer ${token}`, ...headers },
    });
    return { status: res.status, headers: res.headers, body: (await res.json()) as any };
  };

  beforeAll(async () => {
    server = await startServerProcess({ env: { CLINICSYNC_PUBLIC_URL: `${PUBLIC}/` } });
    alice = await signUp(server.url, { name: 'Alice Admin' });
    const org = await createOrganization(server.url, alice);
    base = `${PUBLIC}/v1/orgs/${org.organizationId}/fhir/r4`;
    const patients = [1, 2, 3].map(() => insertEvent('patients', rows.patient(org.organizationId)));
    const results = await pushResults(server.url, alice, patients, { schemaVersion: 3 });
    expect(results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied']);
  });
  afterAll(() => server?.stop());

  it('writes paging, entry, capability and export links with the public address', async () => {
    const links: string[] = [];
    const page = await viaProxy(`${base}/Patient?_count=1`, alice.authToken, { 'x-forwarded-host': 'evil.example' });
    expect(page.status).toBe(200);
    links.push(...page.body.link.map((l: { url: string }) => l.url), ...page.body.entry.map((e: any) => e.fullUrl));
    const next = page.body.link.find((l: { relation: string }) => l.relation === 'next').url as string;
    const second = await viaProxy(next, alice.authToken);
    expect(second.body.entry).toHaveLength(1);
    expect(second.body.entry[0].fullUrl).not.toBe(page.body.entry[0].fullUrl);

    const metadata = await viaProxy(`${base}/metadata`, alice.authToken);
    links.push(metadata.body.implementation.url);
    const kickOff = await fetch(new URL(`${base.slice(PUBLIC.length)}/$export?_type=Patient`, server.url), {
      headers: { authorization: `Bearer ${alice.authToken}`, prefer: 'respond-async' },
    });
    expect(kickOff.status).toBe(202);
    const status = kickOff.headers.get('content-location')!;
    links.push(status);
    let manifest = await viaProxy(status, alice.authToken);
    for (let i = 0; manifest.status === 202 && i < 50; i++) {
      await new Promise((r) => setTimeout(r, 100));
      manifest = await viaProxy(status, alice.authToken);
    }
    expect(manifest.status).toBe(200);
    links.push(manifest.body.request, ...manifest.body.output.map((o: { url: string }) => o.url));
    expect(links.length).toBeGreaterThanOrEqual(7);
    for (const link of links) expect(link.startsWith(`${base}/`) || link === base, link).toBe(true);
  });

  it('does not start with an address that is not one, naming the variable', async () => {
    await expect(startServerProcess({ env: { CLINICSYNC_PUBLIC_URL: 'clinic.example.org' } })).rejects.toThrow(
      /invalid CLINICSYNC_PUBLIC_URL/,
    );
  });
});
