import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { listening } from './listening.ts';

describe('listening', () => {
  const servers: ReturnType<typeof createServer>[] = [];
  afterEach(async () => {
    for (const s of servers.splice(0))
      await new Promise<void>((done) => (s.listening ? s.close(() => done()) : done()));
  });
  const server = () => {
    const s = createServer();
    servers.push(s);
    return s;
  };

  it('resolves once the server listens', async () => {
    const s = server();
    s.listen(0, '127.0.0.1');
    await listening(s, { host: '127.0.0.1', port: 0 });
    expect(s.listening).toBe(true);
  });

  it('turns a taken port and a foreign address into sentences', async () => {
    const first = server();
    first.listen(0, '127.0.0.1');
    await listening(first, { host: '127.0.0.1', port: 0 });
    const { port } = first.address() as { port: number };
    const second = server();
    second.listen(port, '127.0.0.1');
    await expect(listening(second, { host: '127.0.0.1', port })).rejects.toThrow(
      `port ${port} on 127.0.0.1 is already in use by another program; choose another port`,
    );
    const elsewhere = server();
    elsewhere.listen(0, '203.0.113.7');
    await expect(listening(elsewhere, { host: '203.0.113.7', port: 0 })).rejects.toThrow(
      '203.0.113.7 is not an address of this computer; choose another host',
    );
  });
});
