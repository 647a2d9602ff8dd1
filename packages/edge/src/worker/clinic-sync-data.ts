/**
 * The Durable Object that holds a deployment's data in its SQLite storage and
 * serves the whole HTTP contract with the same app as the Node server
 * (`createApp`): push pipeline, pull, auth, admin, OpenAPI, the browser app
 * at `/app/` (embedded in the bundle). Its Kysely runs on
 * the object's storage (durable-object-sqlite-dialect.ts), so every query of
 * the core runs unchanged, and a push batch is one storage transaction
 * (atomic read-validate-write; the object runs one transaction at a time).
 *
 * One object holds all organizations for now (docs/decisions records the
 * step and the per-organization split that follows). Housekeeping (expired
 * tokens, sessions, rate-limit windows, old push outcomes) runs from the
 * object's alarm, hourly. Waiting pulls (PROTOCOL §4 "Live") wait in this
 * object, woken by the pushes it commits: the in-process notifier is exact
 * here, since every write of the data goes through this one object.
 */
import {
  configFromEnv,
  createApp,
  createLocalNotifier,
  DEFAULT_CONFIG,
  loadSharedSecret,
  migrate,
  pruneExpired,
  randomIds,
  secretsFromMaterial,
  sqliteCapabilities,
  systemClock,
  type ServerConfig,
  type ServerDb,
} from '@clinicsync/server/core';
import { Kysely } from 'kysely';
import { createConsoleLogger } from './console-logger.ts';
import { CancellableRequests, CONTROL_HEADERS } from './control.ts';
import { createCountingMetrics } from './counting-metrics.ts';
import { DurableObjectSqliteDialect } from './durable-object-sqlite-dialect.ts';
import { stringBindings, type Env } from './env.ts';
import type { DurableObjectState } from './runtime-types.ts';
import { workersBrowserApp } from './workers-browser-app.ts';
import { workersHashing, workersPorts } from './workers-ports.ts';

const HOUR_MS = 60 * 60 * 1000;

export class ClinicSyncData {
  readonly #state: DurableObjectState;
  readonly #db: Kysely<ServerDb>;
  readonly #config: ServerConfig;
  readonly #log;
  readonly #notifier = createLocalNotifier();
  /** Requests the local runner can end when their client hangs up (control.ts). */
  readonly #requests = new CancellableRequests();
  readonly #app: Promise<{ fetch(request: Request): Response | Promise<Response> }>;

  constructor(state: DurableObjectState, env: Env) {
    this.#state = state;
    const bindings = stringBindings(env);
    this.#log = createConsoleLogger({ name: 'clinicsync-edge', level: bindings.LOG_LEVEL });
    this.#config = { ...DEFAULT_CONFIG, ...configFromEnv(bindings) };
    this.#db = new Kysely<ServerDb>({ dialect: new DurableObjectSqliteDialect(state.storage) });
    // Requests wait until the schema is current and the app is built; the object takes no other work meanwhile.
    this.#app = state.blockConcurrencyWhile(async () => {
      await migrate(this.#db, sqliteCapabilities);
      const material =
        bindings.CLINICSYNC_JWT_SECRET ||
        (await loadSharedSecret(this.#db, { ids: randomIds, now: systemClock.now() }));
      if ((await state.storage.getAlarm()) === null) await state.storage.setAlarm(Date.now() + 60_000);
      return createApp({
        db: this.#db,
        caps: sqliteCapabilities,
        clock: systemClock,
        ids: randomIds,
        secrets: secretsFromMaterial(new TextEncoder().encode(material), workersHashing),
        log: this.#log,
        config: this.#config,
        metrics: createCountingMetrics({ waitingPulls: () => this.#notifier.waiting() }),
        notifier: this.#notifier,
        browserApp: workersBrowserApp,
        ...workersPorts(),
      });
    });
  }

  async fetch(request: Request): Promise<Response> {
    // Only the Worker entry sets this header, on the runner's authenticated control requests (index.ts).
    const control = request.headers.get(CONTROL_HEADERS.internal);
    if (control === 'release-waits') {
      // Every waiting pull answers its empty page now; new waits are refused until the object restarts.
      await this.#notifier.close();
      return new Response(null, { status: 204 });
    }
    if (control === 'cancel') {
      this.#requests.cancel(request.headers.get(CONTROL_HEADERS.requestId));
      return new Response(null, { status: 204 });
    }
    const tracked = this.#requests.track(request);
    try {
      const answer = await (await this.#app).fetch(tracked.request);
      // The runtime resets a connection whose request body the answer left unread, and the reset can overtake the
      // answer: an early refusal (a push with a wrong token, 401) reached the client as a failed request. So the
      // rest of an unread body is read first; its size is bounded before it reaches the runtime (start-edge.ts).
      if (tracked.request.body && !tracked.request.bodyUsed) await tracked.request.arrayBuffer().catch(() => undefined);
      return answer;
    } finally {
      tracked.done();
    }
  }

  /** Hourly housekeeping; a failure is logged and retried at the next alarm. */
  async alarm(): Promise<void> {
    await this.#app;
    try {
      const pruned = await pruneExpired(this.#db, this.#config, systemClock.now());
      this.#log.info({ pruned }, 'housekeeping');
    } catch (error) {
      this.#log.warn({ err: { name: (error as Error).name } }, 'housekeeping failed');
    }
    await this.#state.storage.setAlarm(Date.now() + HOUR_MS);
  }
}
