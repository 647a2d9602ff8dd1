/**
 * Everything a server feature may be given (docs/style.md §5); each factory picks what
 * it uses. The runtime-specific pieces (database driver, hashes, password
 * KDF, the caller's address, log and metrics sinks, the reference page's
 * files) are ports, filled by a composition root: `start-server.ts` on Node,
 * the Worker entry on the edge (docs/architecture.md, principle 7).
 */
import type { Context } from 'hono';
import type { Kysely } from 'kysely';
import type { PasswordHasher } from './auth/password-hasher.ts';
import type { ServerConfig } from './config.ts';
import type { Capabilities } from './db/capabilities.ts';
import type { ServerDb } from './db/schema.ts';
import type { Clock, Ids } from './deps.ts';
import type { Hashing } from './hashing.ts';
import type { Logger } from './logger.ts';
import type { Metrics } from './metrics/metrics-port.ts';
import type { BrowserAppSource } from './routes/browser-app-routes.ts';
import type { Secrets } from './secrets.ts';
import type { ChangeNotifier } from './sync/live/change-notifier.ts';

/** The network address of the connection a request came over, when the runtime knows it. */
export type RemoteAddress = (c: Context) => string | undefined;

/** A file of the API reference page (`/docs/:asset`) by its whitelisted name. */
export type DocsAssets = (name: string) => Promise<Uint8Array | undefined>;

export type ServerDeps = {
  readonly db: Kysely<ServerDb>;
  readonly caps: Capabilities;
  readonly clock: Clock;
  readonly ids: Ids;
  readonly secrets: Secrets;
  readonly log: Logger;
  readonly config: ServerConfig;
  readonly metrics: Metrics;
  /** The browser app's files, served at `/app/` (PROTOCOL §7); absent: no `/app/`. */
  readonly browserApp?: BrowserAppSource;
  readonly hashing: Hashing;
  readonly passwords: PasswordHasher;
  readonly remoteAddress: RemoteAddress;
  readonly docsAssets: DocsAssets;
  /**
   * Wakes waiting pulls when a push moves an organization's log (PROTOCOL §4
   * "Live"). Instances sharing a PostgreSQL database pass the LISTEN/NOTIFY
   * one; without it, `createApp` makes an in-process one.
   */
  readonly notifier?: ChangeNotifier;
};
