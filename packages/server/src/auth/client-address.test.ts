import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { clientAddress } from './client-address.ts';

function appWith(trustProxy: boolean) {
  const app = new Hono();
  app.get('/', (c) => c.text(clientAddress(c, { remoteAddress: () => undefined, config: { trustProxy } })));
  return app;
}

describe('clientAddress', () => {
  it('ignores X-Forwarded-For unless the operator trusts a proxy', async () => {
    const res = await appWith(false).request('/', { headers: { 'x-forwarded-for': '203.0.113.9' } });
    expect(await res.text()).toBe('unknown');
  });

  it('takes the entry the trusted proxy appended, not the ones the client sent', async () => {
    const res = await appWith(true).request('/', { headers: { 'x-forwarded-for': '10.0.0.1, 203.0.113.9' } });
    expect(await res.text()).toBe('203.0.113.9');
  });
});
