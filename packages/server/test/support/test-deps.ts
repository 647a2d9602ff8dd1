/**
 * In-process server dependencies for tests: a migrated database (in-memory
 * SQLite by default, or a fresh PostgreSQL database), a fake clock, fixed
 * secrets and a silent logger.
 */
import pino from 'pino';
import { createApp } from '../../src/app.ts';
import { DEFAULT_CONFIG, type ServerConfig } from '../../src/config.ts';
import { connectDatabase, type Database } from '../../src/db/connect.ts';
import { migrate } from '../../src/db/migrate.ts';
import { fakeClock, randomIds } from '../../src/deps.ts';
import { createMetrics } from '../../src/metrics/metrics.ts';
import { testSecrets } from '../../src/node/load-secrets.ts';
import { nodePorts } from '../../src/node/node-ports.ts';
import type { ServerDeps } from '../../src/server-deps.ts';

export type TestDeps = ServerDeps & { readonly clock: ReturnType<typeof fakeClock>; readonly database: Database };

export async function testDeps(options: { url?: string; config?: Partial<ServerConfig> } = {}): Promise<TestDeps> {
  const database = connectDatabase({ url: options.url ?? ':memory:' });
  await migrate(database.db, database.caps);
  return {
    database,
    db: database.db,
    caps: database.caps,
    clock: fakeClock('2026-01-01T00:00:00Z'),
    ids: randomIds,
    secrets: testSecrets(),
    log: pino({ level: 'silent' }),
    config: { ...DEFAULT_CONFIG, ...options.config },
    metrics: createMetrics(),
    ...nodePorts(),
  };
}

/** A ready app on in-memory SQLite; `app.request(path, init)` runs a request without a port. */
export async function testApp(options: { url?: string; config?: Partial<ServerConfig> } = {}) {
  const deps = await testDeps(options);
  return { deps, app: createApp(deps), close: () => deps.database.close() };
}
