/**
 * The change notifier for several instances on one PostgreSQL database
 * (docs/protocol.md "Live pull"): each instance keeps ONE listening
 * connection (`LISTEN clinicsync_log`), and a push announces the topics it
 * moved with `pg_notify` after its transaction committed. Every instance's
 * listener hears it and wakes its own waiting pulls: no query runs per
 * waiting device, and nothing runs at all while nobody writes.
 *
 * A lost listening connection may have missed announcements, so after it is
 * back every waiter is woken once to read the log again; while it is down,
 * waits still end at their timeout, so nothing is ever missed for longer
 * than one wait.
 */
import pg from 'pg';
import { createLocalWakeups, type ChangeNotifier } from './change-notifier.ts';

export const NOTIFY_CHANNEL = 'clinicsync_log';
// PostgreSQL refuses payloads of 8000 bytes or more; topics are uuids joined by commas.
const MAX_PAYLOAD = 7_000;
const RECONNECT_MIN_MS = 250;
const RECONNECT_MAX_MS = 10_000;

export type PostgresNotifierOptions = {
  readonly url: string;
  /** Sends one `pg_notify` (the server's pool, not the listening connection). */
  readonly send: (channel: string, payload: string) => Promise<void>;
  /** Called when the listening connection is lost or cannot be opened (never with secrets). */
  readonly onListenError?: (error: unknown) => void;
};

export type PostgresNotifier = ChangeNotifier & {
  /** Resolves once the listening connection is up (start-up, tests). */
  readonly ready: () => Promise<void>;
};

/** Opens the listening connection in the background and returns the notifier at once. */
export function createPostgresNotifier(options: PostgresNotifierOptions): PostgresNotifier {
  const local = createLocalWakeups();
  let client: pg.Client | undefined;
  let closed = false;
  let failures = 0;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let markReady: () => void = () => {};
  let readyPromise = new Promise<void>((resolve) => (markReady = resolve));

  // Announcements carry the sender's id: this instance woke its own waiters already, its echo would wake them twice.
  const instanceId = globalThis.crypto.randomUUID();

  function onNotification(message: pg.Notification): void {
    if (message.channel !== NOTIFY_CHANNEL || !message.payload) return;
    const [sender, topics] = message.payload.split(';', 2);
    if (sender === instanceId || !topics) return;
    local.deliver(topics.split(','));
  }

  async function connect(): Promise<void> {
    if (closed) return;
    const next = new pg.Client({ connectionString: options.url });
    next.on('notification', onNotification);
    next.on('error', (error) => lost(next, error));
    next.on('end', () => lost(next, new Error('listening connection ended')));
    try {
      await next.connect();
      await next.query(`LISTEN ${NOTIFY_CHANNEL}`);
    } catch (error) {
      lost(next, error);
      return;
    }
    if (closed) {
      await next.end().catch(() => {});
      return;
    }
    client = next;
    // Whatever was announced while we were not listening: let every waiter look again.
    if (failures > 0) local.deliverAll();
    failures = 0;
    markReady();
  }

  function lost(which: pg.Client, error: unknown): void {
    if (closed || (client !== undefined && client !== which)) return;
    if (client === which) client = undefined;
    which.removeAllListeners('notification');
    void which.end().catch(() => {});
    options.onListenError?.(error);
    if (retry !== undefined) return;
    const delay = Math.min(RECONNECT_MAX_MS, RECONNECT_MIN_MS * 2 ** Math.min(failures, 10));
    failures += 1;
    readyPromise = new Promise<void>((resolve) => (markReady = resolve));
    retry = setTimeout(() => {
      retry = undefined;
      void connect();
    }, delay);
    retry.unref?.();
  }

  void connect();

  return {
    mark: () => local.mark(),
    async notify(topics) {
      if (topics.length === 0) return;
      // Waiters on this instance need not wait for the round trip through the database.
      local.deliver(topics);
      for (const payload of payloads(topics)) await options.send(NOTIFY_CHANNEL, `${instanceId};${payload}`);
    },
    wait: (topics, waitOptions) => local.wait(topics, waitOptions),
    waiting: () => local.waiting(),
    ready: () => readyPromise,
    async close() {
      closed = true;
      if (retry !== undefined) clearTimeout(retry);
      local.close();
      const current = client;
      client = undefined;
      markReady();
      await current?.end().catch(() => {});
    },
  };
}

/** Splits topics into `pg_notify` payloads under PostgreSQL's size limit. */
export function payloads(topics: readonly string[]): string[] {
  const out: string[] = [];
  let current = '';
  for (const topic of new Set(topics)) {
    if (current && current.length + 1 + topic.length > MAX_PAYLOAD) {
      out.push(current);
      current = '';
    }
    current = current ? `${current},${topic}` : topic;
  }
  if (current) out.push(current);
  return out;
}
