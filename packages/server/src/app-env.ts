/** The per-request values every route and middleware share, typed once (docs/style.md §5). */
import type { Logger } from './logger.ts';

/** Who is calling, established by the token middleware from the server's database. */
export type AuthActor = { readonly kind: 'auth'; readonly userId: string; readonly sessionId: string };
export type SyncActor = { readonly kind: 'sync'; readonly userId: string; readonly deviceId: string };

export type AppEnv = {
  Variables: {
    requestId: string;
    log: Logger;
    authActor: AuthActor;
    syncActor: SyncActor;
  };
};
