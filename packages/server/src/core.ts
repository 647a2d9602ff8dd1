/**
 * The portable surface of the server: everything a composition root on any
 * runtime needs to build the app (Web-standard APIs only; no Node types, see
 * tsconfig.json). The Node root is `start-server.ts`; the Workers root lives
 * in `@clinicsync/edge`.
 */
export { createApp } from './app.ts';
export type { AppEnv } from './app-env.ts';
export { createPbkdf2PasswordHasher, isPbkdf2Hash, PBKDF2_ITERATIONS } from './auth/pbkdf2-password-hasher.ts';
export type { PasswordHasher } from './auth/password-hasher.ts';
export { DEFAULT_CONFIG, type ServerConfig } from './config.ts';
export { configFromEnv } from './config-from-env.ts';
export { sqliteCapabilities, type Capabilities } from './db/capabilities.ts';
export { migrate } from './db/migrate.ts';
export type { ServerDb } from './db/schema.ts';
export { randomIds, systemClock, type Clock, type Ids } from './deps.ts';
export type { Hashing } from './hashing.ts';
export type { Logger } from './logger.ts';
export { pruneExpired } from './maintenance/prune-expired.ts';
export { createLocalNotifier, type ChangeNotifier } from './sync/live/change-notifier.ts';
export type { Metrics } from './metrics/metrics-port.ts';
export { SWAGGER_ASSETS } from './openapi/swagger-page.ts';
export { secretsFromMaterial, type Secrets } from './secrets.ts';
export type { DocsAssets, RemoteAddress, ServerDeps } from './server-deps.ts';
export type { BrowserAppFile, BrowserAppSource } from './routes/browser-app-routes.ts';
export { loadSharedSecret } from './shared-secret.ts';
