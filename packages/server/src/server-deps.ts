/** Everything a server feature may be given (STYLE §5); each factory picks what it uses. */
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { ServerConfig } from './config.ts';
import type { Capabilities } from './db/capabilities.ts';
import type { ServerDb } from './db/schema.ts';
import type { Clock, Ids } from './deps.ts';
import type { Metrics } from './metrics/metrics.ts';
import type { BrowserAppSource } from './routes/browser-app-routes.ts';
import type { Secrets } from './secrets.ts';
import type { ChangeNotifier } from './sync/live/change-notifier.ts';

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
  /**
   * Wakes waiting pulls when a push moves an organization's log (PROTOCOL §4
   * "Live"). Instances sharing a PostgreSQL database pass the LISTEN/NOTIFY
   * one; without it, `createApp` makes an in-process one.
   */
  readonly notifier?: ChangeNotifier;
};
