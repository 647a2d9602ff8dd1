/**
 * Opens the database, runs migrations, builds the app and listens. Used by the
 * `clinicsync-server` bin, `npm start` and the black-box tests' processes.
 */
import { serve } from '@hono/node-server';
import { listening } from '@clinicsync/client/listening';
import { sql } from 'kysely';
import type { Server } from 'node:http';
import { join, resolve } from 'node:path';
import pino, { type Logger } from 'pino';
import { createApp } from './app.ts';
import { DEFAULT_CONFIG, type ServerConfig } from './config.ts';
import { connectDatabase, isPostgresUrl } from './db/connect.ts';
import { migrate } from './db/migrate.ts';
import { randomIds, systemClock, type Clock } from './deps.ts';
import { pruneExpired } from './maintenance/prune-expired.ts';
import { createMetrics } from './metrics/metrics.ts';
import type { BrowserAppSource } from './routes/browser-app-routes.ts';
import { answerClientErrorsAsJson } from './node/json-client-errors.ts';
import { loadSecrets } from './node/load-secrets.ts';
import { nodePorts } from './node/node-ports.ts';
import { loadSharedSecret } from './shared-secret.ts';
import { createLocalNotifier, type ChangeNotifier } from './sync/live/change-notifier.ts';
import { createPostgresNotifier } from './sync/live/postgres-notifier.ts';

export type StartOptions = {
  readonly port: number;
  readonly host: string;
  /** SQLite path or postgres:// URL; defaults to `<dataDir>/server.sqlite`. */
  readonly db?: string;
  readonly dataDir: string;
  readonly env: NodeJS.ProcessEnv;
  readonly config?: Partial<ServerConfig>;
  readonly clock?: Clock;
  readonly log?: Logger;
  /** Where `/app/` comes from; default: apps/browser's build, made on the first visit. `null`: no browser app. */
  readonly browserApp?: BrowserAppSource | null;
};

/** The browser app built from this checkout (loaded only on the first visit to `/app/`). */
function builtBrowserApp(log: Logger): BrowserAppSource {
  return {
    load: async () => {
      try {
        const { loadBrowserApp } = await import('@clinicsync/browser/build');
        return await loadBrowserApp((line) => log.info(line));
      } catch (error) {
        log.error(
          { err: { name: (error as Error).name, message: (error as Error).message } },
          'could not build the browser app',
        );
        throw error;
      }
    },
  };
}

export type RunningServer = {
  readonly url: string;
  readonly port: number;
  readonly databaseKind: 'sqlite' | 'postgres';
  /** Stops accepting connections, lets in-flight requests finish, closes the database. */
  close(): Promise<void>;
};

export async function startServer(options: StartOptions): Promise<RunningServer> {
  const log = options.log ?? pino({ name: 'clinicsync-server' });
  const dbUrl = options.db ?? join(resolve(options.dataDir), 'server.sqlite');
  const database = connectDatabase({ url: dbUrl });
  await migrate(database.db, database.caps);
  const config = { ...DEFAULT_CONFIG, ...options.config };
  const clock = options.clock ?? systemClock;
  // Instances on one PostgreSQL wake each other's waiting pulls through it; SQLite has one instance.
  const notifier: ChangeNotifier = isPostgresUrl(dbUrl)
    ? createPostgresNotifier({
        url: dbUrl,
        send: async (channel, payload) => {
          await sql`select pg_notify(${channel}, ${payload})`.execute(database.db);
        },
        onListenError: (error) =>
          log.warn(
            { err: { name: (error as Error)?.name, code: (error as { code?: unknown })?.code } },
            'change listener lost; reconnecting',
          ),
      })
    : createLocalNotifier();
  const app = createApp({
    db: database.db,
    caps: database.caps,
    clock,
    ids: randomIds,
    secrets: await loadSecrets({
      env: options.env,
      dataDir: options.dataDir,
      ...(isPostgresUrl(dbUrl)
        ? { shared: () => loadSharedSecret(database.db, { ids: randomIds, now: clock.now() }) }
        : {}),
    }),
    log,
    config,
    ...(options.browserApp === null ? {} : { browserApp: options.browserApp ?? builtBrowserApp(log) }),
    metrics: createMetrics({
      ...(database.pool ? { pool: database.pool } : {}),
      processMetrics: true,
      waitingPulls: () => notifier.waiting(),
    }),
    notifier,
    ...nodePorts(),
  });

  const server = serve({ fetch: app.fetch, port: options.port, hostname: options.host });
  try {
    await listening(server as Server, { host: options.host, port: options.port });
  } catch (error) {
    await notifier.close();
    await database.close();
    throw error;
  }
  answerClientErrorsAsJson(server as Server);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const url = `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`;

  // Housekeeping at start and then hourly; a failure is logged and retried next hour.
  const housekeep = () =>
    pruneExpired(database.db, config, clock.now()).then(
      (counts) => log.info({ pruned: counts }, 'housekeeping'),
      (error: unknown) =>
        log.warn(
          { err: { name: (error as Error).name, code: (error as { code?: unknown }).code } },
          'housekeeping failed',
        ),
    );
  void housekeep();
  const housekeeping = setInterval(housekeep, 60 * 60 * 1000);
  housekeeping.unref();

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    databaseKind: isPostgresUrl(dbUrl) ? 'postgres' : 'sqlite',
    close: () =>
      (closing ??= (async () => {
        clearInterval(housekeeping);
        // Waiting pulls answer now (an empty page, or what arrived): the close below then waits only for real work.
        await notifier.close();
        await new Promise<void>((done) => {
          const closeIdle = () => (server as { closeIdleConnections?: () => void }).closeIdleConnections?.();
          // Idle keep-alive sockets would otherwise hold the close open; requests that finish
          // during the close (the released waiting pulls among them) leave idle sockets behind too.
          const sweep = setInterval(closeIdle, 50);
          server.close(() => {
            clearInterval(sweep);
            done();
          });
          closeIdle();
        });
        await database.close();
      })()),
  };
}
